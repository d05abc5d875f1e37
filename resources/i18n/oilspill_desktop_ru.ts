<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ru">
<context>
    <name>Action</name>
    <message>
        <source>Pause</source>
        <translation>Приостановить</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>Продолжить</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Отменить</translation>
    </message>
    <message>
        <source>Retry failed images</source>
        <translation>Повторить неудавшиеся снимки</translation>
    </message>
    <message>
        <source>Run again</source>
        <translation>Запустить снова</translation>
    </message>
    <message>
        <source>Save results of the images done</source>
        <translation>Сохранить результаты обработанных снимков</translation>
    </message>
    <message>
        <source>Run the rest on the offline engine</source>
        <translation>Обработать остальное без сети (обученной моделью)</translation>
    </message>
    <message>
        <source>Open results</source>
        <translation>Открыть результаты</translation>
    </message>
    <message>
        <source>Show in folder</source>
        <translation>Показать в папке</translation>
    </message>
    <message>
        <source>View masks</source>
        <translation>Просмотреть маски</translation>
    </message>
    <message>
        <source>Remove from list</source>
        <translation>Убрать из списка</translation>
    </message>
</context>
<context>
    <name>ConnectionPanel</name>
    <message>
        <source>Test connection</source>
        <translation>Проверить соединение</translation>
    </message>
    <message>
        <source>Cancel test</source>
        <translation>Прервать проверку</translation>
    </message>
    <message>
        <source>Test cancelled.</source>
        <translation>Проверка прервана.</translation>
    </message>
    <message>
        <source>Testing {url}… no answer yet; gives up in {time}</source>
        <translation>Проверка {url}… ответа пока нет; ожидание закончится через {time}</translation>
    </message>
</context>
<context>
    <name>ConnectionTest</name>
    <message>
        <source>The address cannot be used: {detail}</source>
        <translation>Этот адрес нельзя использовать: {detail}</translation>
    </message>
    <message>
        <source>These settings cannot be used: {detail}</source>
        <translation>Эти настройки нельзя использовать: {detail}</translation>
    </message>
    <message>
        <source>Connection refused: nothing is listening at {host}. Check that the service is running and that the port is right.</source>
        <translation>В соединении отказано: по адресу {host} ничего не принимает подключения. Проверьте, что сервис запущен и порт указан верно.</translation>
    </message>
    <message>
        <source>The host name in {url} could not be found. Check the address.</source>
        <translation>Имя узла в адресе {url} не найдено. Проверьте адрес.</translation>
    </message>
    <message>
        <source>Timed out connecting to {host}: no answer within the connect timeout. A firewall or a wrong address is likely.</source>
        <translation>Истекло время подключения к {host}: ответа нет в пределах тайм-аута подключения. Вероятно, мешает межсетевой экран или адрес неверен.</translation>
    </message>
    <message>
        <source>Connected to {host}, but no answer came within the read timeout. The service may be overloaded or still loading its model; try a longer read timeout.</source>
        <translation>Подключение к {host} установлено, но ответа нет в пределах тайм-аута ответа. Возможно, сервис перегружен или ещё загружает модель; попробуйте увеличить тайм-аут ответа.</translation>
    </message>
    <message>
        <source>The secure (TLS) connection failed: {detail}. Check the server&apos;s certificate, or set a CA bundle in these settings.</source>
        <translation>Не удалось установить защищённое (TLS) соединение: {detail}. Проверьте сертификат сервера или укажите набор сертификатов ЦС в этих настройках.</translation>
    </message>
    <message>
        <source>The server answered 404 Not Found: there is no segmentation endpoint at this address. Check the path (for example /segment).</source>
        <translation>Сервер ответил 404 Not Found: по этому адресу нет сервиса сегментации. Проверьте путь (например, /segment).</translation>
    </message>
    <message>
        <source>The server answered {status}: check the API token.</source>
        <translation>Сервер ответил {status}: проверьте API-токен.</translation>
    </message>
    <message>
        <source>The server redirects the request: {detail}.</source>
        <translation>Сервер перенаправляет запрос: {detail}.</translation>
    </message>
    <message>
        <source>The server answered {status} ({body}).</source>
        <translation>Сервер ответил {status} ({body}).</translation>
    </message>
    <message>
        <source>no content type</source>
        <translation>без типа содержимого</translation>
    </message>
    <message>
        <source>The server answered with {type} instead of an image ({body}): this does not look like a segmentation endpoint.</source>
        <translation>Сервер вернул {type} вместо изображения ({body}): это не похоже на сервис сегментации.</translation>
    </message>
    <message>
        <source>The server&apos;s answer is not a readable picture: {detail}.</source>
        <translation>Ответ сервера не является читаемым изображением: {detail}.</translation>
    </message>
    <message>
        <source>The server&apos;s answer is far too large to be a mask of a small test image.</source>
        <translation>Ответ сервера слишком велик, чтобы быть маской небольшого тестового изображения.</translation>
    </message>
    <message>
        <source>The server answered a picture that is not the test image annotated: {detail}</source>
        <translation>Сервер вернул изображение, которое не является размеченным тестовым снимком: {detail}</translation>
    </message>
    <message>
        <source>The test failed: {detail}</source>
        <translation>Проверка не удалась: {detail}</translation>
    </message>
    <message>
        <source>Connected to an Oil Spill AI ML service (found automatically: it failed on a PNG and answered the same image as JPEG; jobs send JPEG named .jpg).</source>
        <translation>Подключение к ML-сервису Oil Spill AI (определено автоматически: PNG он не принял, а то же изображение в JPEG обработал; задания будут отправлять JPEG с расширением .jpg).</translation>
    </message>
    <message>
        <source>Connected to an Oil Spill AI ML service (sent as JPEG named .jpg).</source>
        <translation>Подключение к ML-сервису Oil Spill AI (отправлено как JPEG с расширением .jpg).</translation>
    </message>
    <message>
        <source>Connected to a generic segmentation service (found automatically: it read the PNG sent).</source>
        <translation>Подключение к обычному сервису сегментации (определено автоматически: он прочитал отправленный PNG).</translation>
    </message>
    <message>
        <source>Connected to a generic segmentation service.</source>
        <translation>Подключение к обычному сервису сегментации.</translation>
    </message>
    <message>
        <source>It answers annotated pictures, masks derived from them: {width}×{height} {format} in {ms} ms.</source>
        <translation>Он отвечает размеченными изображениями, маски выделяются из них: {width}×{height} {format} за {ms} мс.</translation>
    </message>
    <message>
        <source>It answers 5-class masks: {width}×{height} {format} in {ms} ms.</source>
        <translation>Он отвечает 5-классовыми масками: {width}×{height} {format} за {ms} мс.</translation>
    </message>
    <message>
        <source>It answers masks: {width}×{height} {format} in {ms} ms.</source>
        <translation>Он отвечает масками: {width}×{height} {format} за {ms} мс.</translation>
    </message>
    <message>
        <source>Oil in {percent} % of the test scene.</source>
        <translation>Нефть на {percent} % тестовой сцены.</translation>
    </message>
</context>
<context>
    <name>CoreMessages</name>
    <message>
        <source>The image could not be decoded: {reason}.</source>
        <translation>Снимок не удалось декодировать: {reason}.</translation>
    </message>
    <message>
        <source>The image could not be decoded: the member is empty.</source>
        <translation>Снимок не удалось декодировать: файл в архиве пуст.</translation>
    </message>
    <message>
        <source>The image could not be decoded: the data is not a PNG, JPEG, BMP, TIFF, JPEG 2000 or WebP image.</source>
        <translation>Снимок не удалось декодировать: данные не являются изображением PNG, JPEG, BMP, TIFF, JPEG 2000 или WebP.</translation>
    </message>
    <message>
        <source>The JPEG 2000 image could not be decoded by OpenJPEG: {reason}. Convert it to GeoTIFF (for example with gdal_translate) and process that.</source>
        <translation>Снимок JPEG 2000 не удалось декодировать библиотекой OpenJPEG: {reason}. Преобразуйте его в GeoTIFF (например, программой gdal_translate) и обработайте его.</translation>
    </message>
    <message>
        <source>The TIFF is compressed with {codec}, which this program cannot decode for {samples} samples of {bits} bits per pixel; save it with Deflate, LZW or no compression.</source>
        <translation>TIFF сжат методом {codec}, который эта программа не может декодировать для {samples} отсчётов по {bits} бит на пиксель; сохраните его со сжатием Deflate, LZW или без сжатия.</translation>
    </message>
    <message>
        <source>The image&apos;s {samples} samples of {bits} bits per pixel need {size} of memory, above the limit of {limit} (8 bytes for each pixel the limits allow).</source>
        <translation>Для {samples} отсчётов по {bits} бит на пиксель этому снимку нужно {size} памяти, больше предела {limit} (8 байт на каждый пиксель, разрешённый ограничениями).</translation>
    </message>
    <message>
        <source>The image decodes to a picture of the single value {value} everywhere, although its data are not all one value (perhaps all no-data); it is not segmented as a blank picture.</source>
        <translation>Снимок декодируется в картинку с одним значением {value} во всех пикселях, хотя его данные не одинаковы (возможно, все пиксели — «нет данных»); пустая картинка не сегментируется.</translation>
    </message>
    <message>
        <source>The 16-bit colour PNG decodes to a picture of one single value: only the high byte of each 16-bit value can be read, and this image&apos;s values lie below it. Save it as 16-bit grey PNG, 8-bit colour or TIFF.</source>
        <translation>Цветной 16-битный PNG декодируется в картинку с одним значением: читается только старший байт каждого 16-битного значения, а значения этого снимка меньше его. Сохраните снимок как 16-битный полутоновый PNG, 8-битный цветной или TIFF.</translation>
    </message>
    <message>
        <source>The image could not be decoded: there is not enough memory for its pixels.</source>
        <translation>Снимок не удалось декодировать: для его пикселей не хватает памяти.</translation>
    </message>
    <message>
        <source>The image is {width} × {height} = {pixels} pixels, above the limit of {limit} pixels.</source>
        <translation>Снимок размером {width} × {height} = {pixels} пикселей превышает предел в {limit} пикселей.</translation>
    </message>
    <message>
        <source>The image is {width} × {height} pixels: {windows} windows, above the limit of {limit} windows a large scene may hold.</source>
        <translation>Изображение размером {width} × {height} пикселей: {windows} окон, больше предела в {limit} окон для большой сцены.</translation>
    </message>
    <message>
        <source>Window {window} of {windows} (rows {rows}, columns {columns}) of the scene could not be segmented: {reason}.</source>
        <translation>Окно {window} из {windows} (строки {rows}, столбцы {columns}) сцены не удалось сегментировать: {reason}.</translation>
    </message>
    <message>
        <source>The image is {pixels} pixels, above the imaging library&apos;s own safety limit of {limit} pixels.</source>
        <translation>Снимок размером {pixels} пикселей превышает защитный предел графической библиотеки в {limit} пикселей.</translation>
    </message>
    <message>
        <source>The member is {size} once unpacked, above the {limit} limit.</source>
        <translation>Файл в архиве после распаковки занимает {size}, больше предела {limit}.</translation>
    </message>
    <message>
        <source>The member would unpack from {packed} to {size} (a ratio of {ratio} to 1), above the limit of {limit} to 1; it looks like a zip bomb.</source>
        <translation>Файл в архиве распаковался бы из {packed} в {size} (сжатие {ratio} к 1), больше предела {limit} к 1; похоже на zip-бомбу.</translation>
    </message>
    <message>
        <source>The member unpacks to more than {limit}, above the limit; its header understated its size.</source>
        <translation>Файл в архиве распаковывается больше чем в {limit}, сверх предела; его заголовок занижал размер.</translation>
    </message>
    <message>
        <source>The member unpacks to more than {ratio} times its compressed size of {packed}; it looks like a zip bomb.</source>
        <translation>Файл в архиве распаковывается более чем в {ratio} раз больше своего сжатого размера {packed}; похоже на zip-бомбу.</translation>
    </message>
    <message>
        <source>The member is damaged: its compressed data cannot be unpacked ({reason}).</source>
        <translation>Файл в архиве повреждён: его сжатые данные не распаковываются ({reason}).</translation>
    </message>
    <message>
        <source>The member is cut short: the archive ends before its data does.</source>
        <translation>Файл в архиве обрезан: архив кончается раньше его данных.</translation>
    </message>
    <message>
        <source>The member is password-protected.</source>
        <translation>Файл в архиве защищён паролем.</translation>
    </message>
    <message>
        <source>The archive could not be read: {reason}.</source>
        <translation>Архив не удалось прочитать: {reason}.</translation>
    </message>
    <message>
        <source>unsafe name: contains a NUL character</source>
        <translation>небезопасное имя: содержит символ NUL</translation>
    </message>
    <message>
        <source>unsafe name: absolute path</source>
        <translation>небезопасное имя: абсолютный путь</translation>
    </message>
    <message>
        <source>unsafe name: contains a backslash</source>
        <translation>небезопасное имя: содержит обратную косую черту</translation>
    </message>
    <message>
        <source>unsafe name: contains a &apos;..&apos; component</source>
        <translation>небезопасное имя: содержит компонент «..»</translation>
    </message>
    <message>
        <source>symbolic link</source>
        <translation>символическая ссылка</translation>
    </message>
    <message>
        <source>nested archive; unpack it and add it separately</source>
        <translation>вложенный архив; распакуйте его и добавьте отдельно</translation>
    </message>
    <message>
        <source>unsupported image type ({suffix}); convert it to PNG, JPEG or TIFF</source>
        <translation>неподдерживаемый тип изображения ({suffix}); преобразуйте его в PNG, JPEG или TIFF</translation>
    </message>
    <message>
        <source>not an image ({suffix})</source>
        <translation>не изображение ({suffix})</translation>
    </message>
    <message>
        <source>not an image (no extension)</source>
        <translation>не изображение (нет расширения)</translation>
    </message>
    <message>
        <source>password-protected</source>
        <translation>защищён паролем</translation>
    </message>
    <message>
        <source>Not processed: the job was stopped before this image.</source>
        <translation>Не обработан: задание остановлено раньше, чем дошло до этого снимка.</translation>
    </message>
    <message>
        <source>There was not enough memory to process this image.</source>
        <translation>Для обработки этого снимка не хватило памяти.</translation>
    </message>
    <message>
        <source>Unexpected error: {reason}</source>
        <translation>Непредвиденная ошибка: {reason}</translation>
    </message>
    <message>
        <source>The engine failed: {detail}.</source>
        <translation>Сервис сегментации выдал ошибку: {detail}.</translation>
    </message>
    <message>
        <source>The engine rejected the request: {detail}.</source>
        <translation>Сервис сегментации отклонил запрос: {detail}.</translation>
    </message>
    <message>
        <source>The engine redirected the request: {detail}.</source>
        <translation>Сервис сегментации перенаправил запрос: {detail}.</translation>
    </message>
    <message>
        <source>The engine could not be reached: {detail}.</source>
        <translation>Сервис сегментации недоступен: {detail}.</translation>
    </message>
    <message>
        <source>The engine did not answer: {detail}.</source>
        <translation>Сервис сегментации не ответил: {detail}.</translation>
    </message>
    <message>
        <source>The engine could not be used: {detail}.</source>
        <translation>Сервисом сегментации не удалось воспользоваться: {detail}.</translation>
    </message>
    <message>
        <source>The engine did not answer with a picture: {detail}.</source>
        <translation>Сервис сегментации ответил не изображением: {detail}.</translation>
    </message>
    <message>
        <source>The engine&apos;s answer is not a readable picture: {detail}.</source>
        <translation>Ответ сервиса сегментации — нечитаемое изображение: {detail}.</translation>
    </message>
    <message>
        <source>The engine&apos;s answer is not a usable picture: {detail}.</source>
        <translation>Ответ сервиса сегментации — непригодное изображение: {detail}.</translation>
    </message>
    <message numerus="yes">
        <source>The engine could not be reached: {detail}; no request was ever answered, so the job stopped after %n attempt(s).</source>
        <translation>
            <numerusform>Сервис сегментации недоступен: {detail}; ни один запрос не получил ответа, поэтому задание остановлено после %n попытки.</numerusform>
            <numerusform>Сервис сегментации недоступен: {detail}; ни один запрос не получил ответа, поэтому задание остановлено после %n попыток.</numerusform>
            <numerusform>Сервис сегментации недоступен: {detail}; ни один запрос не получил ответа, поэтому задание остановлено после %n попыток.</numerusform>
        </translation>
    </message>
    <message>
        <source>The engine stayed unreachable for {minutes} minutes ({reason}); the job stopped waiting for it.</source>
        <translation>Сервис сегментации был недоступен {minutes} мин ({reason}); задание перестало его ждать.</translation>
    </message>
    <message>
        <source>The engine address {endpoint} is not a valid URL ({reason}).</source>
        <translation>Адрес сервиса сегментации {endpoint} не является допустимым URL ({reason}).</translation>
    </message>
    <message>
        <source>The engine address {endpoint} is not an http:// or https:// URL with a host name.</source>
        <translation>Адрес сервиса сегментации {endpoint} не является URL вида http:// или https:// с именем хоста.</translation>
    </message>
    <message>
        <source>The API token holds characters that cannot be sent in an HTTP header; paste it again without line breaks or accented letters.</source>
        <translation>API-токен содержит символы, которые нельзя передать в заголовке HTTP; вставьте его заново без переносов строк и букв с диакритикой.</translation>
    </message>
    <message>
        <source>The CA bundle {path} could not be loaded ({reason}); check the path in the settings.</source>
        <translation>Не удалось загрузить набор сертификатов ЦС {path} ({reason}); проверьте путь в настройках.</translation>
    </message>
    <message>
        <source>The built-in engine ran out of memory on this {width}x{height} image.</source>
        <translation>Встроенному движку не хватило памяти для этого снимка {width}x{height}.</translation>
    </message>
    <message>
        <source>The engine&apos;s annotated picture is not a copy of the image sent: {share} of its pixels outside the painted slicks differ from it. It may be another image&apos;s answer (a service mixing up uploads), so no mask was derived from it.</source>
        <translation>Размеченная картинка сервиса сегментации не является копией отправленного снимка: {share} её пикселей вне закрашенных пятен отличаются от него. Возможно, это ответ для другого снимка (сервис перепутал загрузки), поэтому маска из неё не получена.</translation>
    </message>
    <message>
        <source>The list of further endpoints in the settings could not be read: {reason}.</source>
        <translation>Не удалось прочитать список дополнительных адресов сервисов в настройках: {reason}.</translation>
    </message>
    <message>
        <source>The server failed on this image: {detail}.</source>
        <translation>Сервер не смог обработать это изображение: {detail}.</translation>
    </message>
    <message>
        <source>The server returned no result for this image.</source>
        <translation>Сервер не вернул результата для этого изображения.</translation>
    </message>
    <message>
        <source>The server failed on this part of the survey: {detail}.</source>
        <translation>Сервер не смог обработать эту часть съёмки: {detail}.</translation>
    </message>
    <message>
        <source>The server did not finish this part of the survey within {minutes} minutes (it was still {state}).</source>
        <translation>Сервер не закончил эту часть съёмки за {minutes} мин (состояние всё ещё {state}).</translation>
    </message>
    <message>
        <source>The model {name} failed on this image: {reason}</source>
        <translation>Модель {name} не справилась с этим снимком: {reason}</translation>
    </message>
    <message>
        <source>The model {name} produced NaN or infinite values.</source>
        <translation>Модель {name} выдала NaN или бесконечные значения.</translation>
    </message>
    <message>
        <source>The model file {path} does not exist.</source>
        <translation>Файла модели {path} не существует.</translation>
    </message>
    <message>
        <source>Could not read the model {path}: {reason}.</source>
        <translation>Не удалось прочитать модель {path}: {reason}.</translation>
    </message>
    <message>
        <source>{name} is not a usable ONNX model: {reason}</source>
        <translation>{name} — непригодная модель ONNX: {reason}</translation>
    </message>
    <message>
        <source>The model {name} has no description file {spec} beside it; the app needs it to know the model&apos;s input size, normalisation and oil class.</source>
        <translation>Рядом с моделью {name} нет файла описания {spec}; он нужен приложению, чтобы знать размер входа модели, нормализацию и класс нефти.</translation>
    </message>
    <message>
        <source>Could not read {path}: {reason}.</source>
        <translation>Не удалось прочитать {path}: {reason}.</translation>
    </message>
    <message>
        <source>{name} is not valid JSON ({reason}).</source>
        <translation>{name} не является корректным JSON ({reason}).</translation>
    </message>
    <message>
        <source>{name} must hold a JSON object.</source>
        <translation>{name} должен содержать объект JSON.</translation>
    </message>
    <message>
        <source>{where}: {detail}</source>
        <translation>Описание модели {where}: {detail}</translation>
    </message>
    <message>
        <source>onnxruntime is not available, so the model cannot run: {reason}.</source>
        <translation>onnxruntime недоступен, поэтому модель не может работать: {reason}.</translation>
    </message>
    <message>
        <source>{path} does not exist.</source>
        <translation>{path} не существует.</translation>
    </message>
    <message>
        <source>{path} is a folder, not a zip archive.</source>
        <translation>{path} — папка, а не zip-архив.</translation>
    </message>
    <message>
        <source>{path} cannot be read: {reason}.</source>
        <translation>{path} не удаётся прочитать: {reason}.</translation>
    </message>
    <message>
        <source>{name} holds no images (.jpg .jpeg .png .bmp .tif .tiff).</source>
        <translation>В {name} нет снимков (.jpg .jpeg .png .bmp .tif .tiff).</translation>
    </message>
    <message numerus="yes">
        <source>{name} holds no images (.jpg .jpeg .png .bmp .tif .tiff); its %n other file(s) are listed as skipped.</source>
        <translation>
            <numerusform>В {name} нет снимков (.jpg .jpeg .png .bmp .tif .tiff); %n другой файл указан как пропущенный.</numerusform>
            <numerusform>В {name} нет снимков (.jpg .jpeg .png .bmp .tif .tiff); %n других файла указаны как пропущенные.</numerusform>
            <numerusform>В {name} нет снимков (.jpg .jpeg .png .bmp .tif .tiff); %n других файлов указаны как пропущенные.</numerusform>
        </translation>
    </message>
    <message>
        <source>{name} changed while it was being processed; run it again to process the new version.</source>
        <translation>{name} изменился во время обработки; запустите его снова, чтобы обработать новую версию.</translation>
    </message>
    <message>
        <source>{name} has changed since it was processed; add it again to process the new version.</source>
        <translation>{name} изменился после обработки; добавьте его снова, чтобы обработать новую версию.</translation>
    </message>
    <message>
        <source>{name} is already being processed by another job (in this window or another one); it runs once.</source>
        <translation>{name} уже обрабатывается другим заданием (в этом или другом окне); он обрабатывается только один раз.</translation>
    </message>
    <message>
        <source>{name} is being processed by another job right now.</source>
        <translation>{name} сейчас обрабатывается другим заданием.</translation>
    </message>
    <message>
        <source>The file “{name}” is empty, not a zip archive.</source>
        <translation>Файл «{name}» пуст, это не zip-архив.</translation>
    </message>
    <message>
        <source>The file “{name}” is not a zip archive.</source>
        <translation>Файл «{name}» не является zip-архивом.</translation>
    </message>
    <message>
        <source>The file “{name}” is a {kind} image, not a zip archive.</source>
        <translation>Файл «{name}» — изображение {kind}, а не zip-архив.</translation>
    </message>
    <message>
        <source>The file “{name}” is a RAR archive, not a zip archive.</source>
        <translation>Файл «{name}» — архив RAR, а не zip-архив.</translation>
    </message>
    <message>
        <source>The file “{name}” is a 7-Zip archive, not a zip archive.</source>
        <translation>Файл «{name}» — архив 7-Zip, а не zip-архив.</translation>
    </message>
    <message>
        <source>The file “{name}” is a gzip file, not a zip archive.</source>
        <translation>Файл «{name}» — файл gzip, а не zip-архив.</translation>
    </message>
    <message>
        <source>The file “{name}” is a PDF document, not a zip archive.</source>
        <translation>Файл «{name}» — документ PDF, а не zip-архив.</translation>
    </message>
    <message>
        <source>The archive “{name}” is one part of a split (multi-volume) archive; join the parts into one zip first.</source>
        <translation>Архив «{name}» — одна часть многотомного архива; сначала объедините части в один zip.</translation>
    </message>
    <message>
        <source>The archive “{name}” is truncated or damaged: its table of contents (central directory) is cut short. Copy or download it again.</source>
        <translation>Архив «{name}» обрезан или повреждён: его оглавление (центральный каталог) оборвано. Скопируйте или скачайте его заново.</translation>
    </message>
    <message>
        <source>The archive “{name}” is truncated or damaged: its table of contents (central directory) is missing. Copy or download it again.</source>
        <translation>Архив «{name}» обрезан или повреждён: у него нет оглавления (центрального каталога). Скопируйте или скачайте его заново.</translation>
    </message>
    <message>
        <source>The archive “{name}” is truncated or damaged: its table of contents (central directory) is corrupt ({reason}). Copy or download it again.</source>
        <translation>Архив «{name}» обрезан или повреждён: его оглавление (центральный каталог) испорчено ({reason}). Скопируйте или скачайте его заново.</translation>
    </message>
    <message>
        <source>The image&apos;s georeference could not be read: {reason}.</source>
        <translation>Не удалось прочитать географическую привязку снимка: {reason}.</translation>
    </message>
    <message>
        <source>The image&apos;s coordinate reference system cannot be turned into longitude and latitude: {reason}.</source>
        <translation>Систему координат снимка нельзя пересчитать в долготу и широту: {reason}.</translation>
    </message>
    <message numerus="yes">
        <source>The image has %n ground control point(s); at least 3 are needed to place it.</source>
        <translation>
            <numerusform>У снимка %n опорная точка; чтобы его привязать, нужно не меньше 3.</numerusform>
            <numerusform>У снимка %n опорные точки; чтобы его привязать, нужно не меньше 3.</numerusform>
            <numerusform>У снимка %n опорных точек; чтобы его привязать, нужно не меньше 3.</numerusform>
        </translation>
    </message>
    <message>
        <source>The image&apos;s ground control points do not fit one another: they are {pixels} pixels off (at most {limit} allowed).</source>
        <translation>Опорные точки снимка не согласуются друг с другом: расхождение {pixels} пикс. (допускается не больше {limit}).</translation>
    </message>
    <message>
        <source>The image&apos;s georeference places it off the Earth: its pixels have no longitude and latitude.</source>
        <translation>Географическая привязка помещает снимок за пределы Земли: у его пикселей нет долготы и широты.</translation>
    </message>
    <message>
        <source>Cannot write {path}: the disk is full.</source>
        <translation>Не удаётся записать {path}: диск заполнен.</translation>
    </message>
    <message>
        <source>Cannot write {path}: the disk quota is exceeded.</source>
        <translation>Не удаётся записать {path}: превышена дисковая квота.</translation>
    </message>
    <message>
        <source>Cannot write {path}: the file system is read-only.</source>
        <translation>Не удаётся записать {path}: файловая система доступна только для чтения.</translation>
    </message>
    <message>
        <source>Cannot write {path}: permission denied.</source>
        <translation>Не удаётся записать {path}: доступ запрещён.</translation>
    </message>
    <message>
        <source>Cannot write {path}: {reason}.</source>
        <translation>Не удаётся записать {path}: {reason}.</translation>
    </message>
    <message>
        <source>{folder} is not writable, so the results were saved in {fallback}.</source>
        <translation>В {folder} нельзя записывать, поэтому результаты сохранены в {fallback}.</translation>
    </message>
    <message>
        <source>The results were saved in {folder}.</source>
        <translation>Результаты сохранены в {folder}.</translation>
    </message>
    <message>
        <source>Neither {folder} nor {fallback} can be written; the results have nowhere to go.</source>
        <translation>Ни в {folder}, ни в {fallback} нельзя записывать; результаты некуда сохранить.</translation>
    </message>
    <message>
        <source>The verdicts file {path} cannot be read ({reason}); it is left as it is and no verdict is saved until it is moved away.</source>
        <translation>Файл заключений {path} не читается ({reason}); он оставлен как есть, и заключения не сохраняются, пока его не уберут.</translation>
    </message>
    <message>
        <source>The verdicts file {path} belongs to results of another input archive; it is left as it is and no verdict is saved until it is moved away.</source>
        <translation>Файл заключений {path} относится к результатам другого входного архива; он оставлен как есть, и заключения не сохраняются, пока его не уберут.</translation>
    </message>
    <message>
        <source>Cancelled before it started.</source>
        <translation>Отменено до начала.</translation>
    </message>
    <message>
        <source>No image had finished.</source>
        <translation>Ни один снимок не был обработан.</translation>
    </message>
    <message numerus="yes">
        <source>The %n finished image(s) are kept; run the job again to resume.</source>
        <translation>
            <numerusform>%n готовый снимок сохранён; запустите задание снова, чтобы продолжить.</numerusform>
            <numerusform>%n готовых снимка сохранены; запустите задание снова, чтобы продолжить.</numerusform>
            <numerusform>%n готовых снимков сохранены; запустите задание снова, чтобы продолжить.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Partial results: %n finished image(s) saved; {missing} of {total} were not processed (run the job again to do them).</source>
        <translation>
            <numerusform>Частичные результаты: сохранён %n обработанный снимок; не обработано {missing} из {total} (запустите задание снова, чтобы доделать).</numerusform>
            <numerusform>Частичные результаты: сохранены %n обработанных снимка; не обработано {missing} из {total} (запустите задание снова, чтобы доделать).</numerusform>
            <numerusform>Частичные результаты: сохранено %n обработанных снимков; не обработано {missing} из {total} (запустите задание снова, чтобы доделать).</numerusform>
        </translation>
    </message>
    <message>
        <source>The EXIF orientation could not be read; the image is used as stored.</source>
        <translation>Ориентацию из EXIF прочитать не удалось; снимок использован как записан.</translation>
    </message>
    <message>
        <source>{share}% of the pixels hold no data and are shown black.</source>
        <translation>В {share}% пикселей нет данных; они показаны чёрным.</translation>
    </message>
    <message>
        <source>less than 1% of the pixels hold no data and are shown black.</source>
        <translation>Менее чем в 1% пикселей нет данных; они показаны чёрным.</translation>
    </message>
    <message>
        <source>The image holds a single value, so it has no contrast; it is shown gray.</source>
        <translation>Снимок содержит одно-единственное значение, контраста нет; он показан серым.</translation>
    </message>
    <message numerus="yes">
        <source>The TIFF holds %n page(s); only the first is used.</source>
        <translation>
            <numerusform>В TIFF %n страница; использована только первая.</numerusform>
            <numerusform>В TIFF %n страницы; использована только первая.</numerusform>
            <numerusform>В TIFF %n страниц; использована только первая.</numerusform>
        </translation>
    </message>
    <message>
        <source>The complex (single-look) values were read as their amplitude.</source>
        <translation>Комплексные (single-look) значения прочитаны как их амплитуда.</translation>
    </message>
    <message>
        <source>The settings name band {band}, but the image has {bands}; band 1 was used.</source>
        <translation>В настройках указан канал {band}, но у снимка каналов: {bands}; использован канал 1.</translation>
    </message>
    <message>
        <source>Band {band} of {bands} was used.</source>
        <translation>Использован канал {band} из {bands}.</translation>
    </message>
    <message>
        <source>Band {band} ({label}) of {bands} was used.</source>
        <translation>Использован канал {band} ({label}) из {bands}.</translation>
    </message>
    <message>
        <source>The signed values were read as decibels.</source>
        <translation>Значения со знаком прочитаны как децибелы.</translation>
    </message>
    <message>
        <source>The signed values were read as decibels × {scale}.</source>
        <translation>Значения со знаком прочитаны как децибелы × {scale}.</translation>
    </message>
    <message>
        <source>The colour values were stretched from {low}–{high} to 8 bits.</source>
        <translation>Цветовые значения растянуты из диапазона {low}–{high} в 8 бит.</translation>
    </message>
    <message>
        <source>The image&apos;s {depth} values were not used because it has more than {limit} pixels; the engine segmented its 8-bit display stretch, which can make calm areas look like oil.</source>
        <translation>Значения снимка ({depth}) не использованы, потому что в нём больше {limit} пикселей; сегментировано его 8-битное растяжение для показа, на котором спокойная вода может выглядеть как нефть.</translation>
    </message>
    <message>
        <source>The {width}x{height} scene was averaged {factor}x{factor} before segmentation (multilooked), so slicks narrower than that are not resolved.</source>
        <translation>Сцена {width}x{height} перед сегментацией усреднена по {factor}x{factor} пикселей (многовзглядовая обработка), поэтому пятна уже этого не различаются.</translation>
    </message>
    <message>
        <source>The engine&apos;s mask was {got_width}x{got_height} for a {width}x{height} image; it was resized.</source>
        <translation>Маска сервиса сегментации имела размер {got_width}x{got_height} для снимка {width}x{height}; её размер изменён.</translation>
    </message>
    <message>
        <source>The engine&apos;s class mask was {got_width}x{got_height} for a {width}x{height} image; it was resized.</source>
        <translation>Маска классов сервиса сегментации имела размер {got_width}x{got_height} для снимка {width}x{height}; её размер изменён.</translation>
    </message>
    <message>
        <source>The engine&apos;s picture was {got_width}x{got_height} for a {width}x{height} image; it was resized.</source>
        <translation>Картинка сервиса сегментации имела размер {got_width}x{got_height} для снимка {width}x{height}; её размер изменён.</translation>
    </message>
    <message numerus="yes">
        <source>The {width}x{height} scene was segmented in %n window(s).</source>
        <translation>
            <numerusform>Сцена {width}x{height} сегментирована по частям: %n окно.</numerusform>
            <numerusform>Сцена {width}x{height} сегментирована по частям: %n окна.</numerusform>
            <numerusform>Сцена {width}x{height} сегментирована по частям: %n окон.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The {width}x{height} scene was segmented in %n window(s); its overlay and thumbnail are made from a copy reduced {factor}x{factor}.</source>
        <translation>
            <numerusform>Сцена {width}x{height} сегментирована по частям: %n окно; её наложение и миниатюра сделаны из копии, уменьшенной в {factor}x{factor} раз.</numerusform>
            <numerusform>Сцена {width}x{height} сегментирована по частям: %n окна; её наложение и миниатюра сделаны из копии, уменьшенной в {factor}x{factor} раз.</numerusform>
            <numerusform>Сцена {width}x{height} сегментирована по частям: %n окон; её наложение и миниатюра сделаны из копии, уменьшенной в {factor}x{factor} раз.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The {width}x{height} scene was segmented in %n window(s); its overlay, thumbnail, slicks and areas are made from a copy reduced {factor}x{factor}.</source>
        <translation>
            <numerusform>Сцена {width}x{height} сегментирована по частям: %n окно; её наложение, миниатюра, пятна и площади сделаны из копии, уменьшенной в {factor}x{factor} раз.</numerusform>
            <numerusform>Сцена {width}x{height} сегментирована по частям: %n окна; её наложение, миниатюра, пятна и площади сделаны из копии, уменьшенной в {factor}x{factor} раз.</numerusform>
            <numerusform>Сцена {width}x{height} сегментирована по частям: %n окон; её наложение, миниатюра, пятна и площади сделаны из копии, уменьшенной в {factor}x{factor} раз.</numerusform>
        </translation>
    </message>
    <message>
        <source>segmented by {engine} before the job switched engine</source>
        <translation>сегментировано ({engine}) до того, как задание сменило способ обработки</translation>
    </message>
</context>
<context>
    <name>DropArea</name>
    <message>
        <source>Drop survey archives here</source>
        <translation>Перетащите сюда архивы съёмок</translation>
    </message>
    <message>
        <source>Zip archives of PNG, JPEG, BMP, TIFF, JPEG 2000 or WebP images — several at once.
A folder of images, or images dropped together, become one job.</source>
        <translation>Zip-архивы со снимками PNG, JPEG, BMP, TIFF, JPEG 2000 или WebP — можно несколько сразу.
Папка со снимками или перетащенные вместе снимки станут одним заданием.</translation>
    </message>
    <message>
        <source>Open archives…</source>
        <translation>Открыть архивы…</translation>
    </message>
    <message>
        <source>Open folder…</source>
        <translation>Открыть папку…</translation>
    </message>
    <message>
        <source>New here? Try the bundled sample survey.</source>
        <translation>Впервые здесь? Попробуйте пример съёмки из комплекта.</translation>
    </message>
</context>
<context>
    <name>EnginePage</name>
    <message>
        <source>Learned model (offline, on this computer)</source>
        <translation>Обученная модель (без сети, на этом компьютере)</translation>
    </message>
    <message>
        <source>Classical dark-spot detector (offline, finds much less oil)</source>
        <translation>Классический детектор тёмных пятен (без сети, находит гораздо меньше нефти)</translation>
    </message>
    <message>
        <source>ML service over HTTP</source>
        <translation>ML-сервис по HTTP</translation>
    </message>
    <message>
        <source>Oil Spill AI server (the survey sent in parts)</source>
        <translation>Сервер Oil Spill AI (съёмка отправляется частями)</translation>
    </message>
</context>
<context>
    <name>ErrorReporter</name>
    <message>
        <source>Unexpected error</source>
        <translation>Непредвиденная ошибка</translation>
    </message>
    <message>
        <source>Something went wrong: {error}</source>
        <translation>Что-то пошло не так: {error}</translation>
    </message>
    <message>
        <source>the log</source>
        <translation>журнал</translation>
    </message>
    <message>
        <source>The error was written to {log}. Your jobs are not affected unless they say so; you can keep working. If it happens again, send the log file to your support contact.</source>
        <translation>Ошибка записана в {log}. Задания она не затронула, если они сами не сообщают об ином; можно продолжать работу. Если ошибка повторится, отправьте файл журнала в службу поддержки.</translation>
    </message>
</context>
<context>
    <name>FactsPanel</name>
    <message>
        <source>Image</source>
        <translation>Снимок</translation>
    </message>
    <message>
        <source>File</source>
        <translation>Файл</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Состояние</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Размер</translation>
    </message>
    <message>
        <source>Shown at</source>
        <translation>Показано</translation>
    </message>
    <message>
        <source>Oil pixels</source>
        <translation>Пикселей нефти</translation>
    </message>
    <message>
        <source>Oil fraction</source>
        <translation>Доля нефти</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>Результат</translation>
    </message>
    <message>
        <source>Engine</source>
        <translation>Движок</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Время</translation>
    </message>
    <message>
        <source>Attempts</source>
        <translation>Попыток</translation>
    </message>
    <message>
        <source>Warnings</source>
        <translation>Предупреждения</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>Ошибка</translation>
    </message>
    <message>
        <source>Verdict</source>
        <translation>Заключение</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Примечание</translation>
    </message>
    <message>
        <source>No image selected</source>
        <translation>Снимок не выбран</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>Успешно</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Ошибка</translation>
    </message>
    <message>
        <source>{w} × {h} pixels</source>
        <translation>{w} × {h} пикселей</translation>
    </message>
    <message>
        <source>Mask (oil / no oil)</source>
        <translation>Маска (нефть / нет нефти)</translation>
    </message>
    <message>
        <source>5-class map</source>
        <translation>Карта из 5 классов</translation>
    </message>
    <message>
        <source>Annotated picture from the engine (no statistics)</source>
        <translation>Размеченное изображение от движка (без статистики)</translation>
    </message>
    <message>
        <source>Mask derived from the engine&apos;s annotated picture</source>
        <translation>Маска, выделенная из размеченного изображения движка</translation>
    </message>
    <message>
        <source>ML endpoint {endpoint}</source>
        <translation>ML-сервис {endpoint}</translation>
    </message>
    <message>
        <source>bundled</source>
        <translation>встроенная</translation>
    </message>
    <message>
        <source>Learned model {name} (offline)</source>
        <translation>Обученная модель {name} (без сети)</translation>
    </message>
    <message>
        <source>Classical detector (offline)</source>
        <translation>Классический детектор (без сети)</translation>
    </message>
    <message>
        <source>{s} s</source>
        <translation>{s} с</translation>
    </message>
    <message>
        <source>1:{factor}, a reduced preview of the scene</source>
        <translation>1:{factor}, уменьшенный просмотр сцены</translation>
    </message>
</context>
<context>
    <name>GeneralPage</name>
    <message>
        <source>Results</source>
        <translation>Результаты</translation>
    </message>
    <message>
        <source>Beside each input archive</source>
        <translation>Рядом с каждым исходным архивом</translation>
    </message>
    <message>
        <source>In this folder:</source>
        <translation>В этой папке:</translation>
    </message>
    <message>
        <source>Choose the results folder</source>
        <translation>Выбрать папку для результатов</translation>
    </message>
    <message>
        <source>If the folder cannot be written, results go to the app&apos;s data folder and the job says so.</source>
        <translation>Если в папку нельзя записать, результаты сохраняются в папку данных программы, и задание сообщает об этом.</translation>
    </message>
    <message>
        <source>Overlays:</source>
        <translation>Наложения:</translation>
    </message>
    <message>
        <source>JPEG (quality 90)</source>
        <translation>JPEG (качество 90)</translation>
    </message>
    <message>
        <source>About the size of a JPEG scene, and quick to write.</source>
        <translation>Примерно размером со снимок в JPEG, и записываются быстро.</translation>
    </message>
    <message>
        <source>PNG (lossless)</source>
        <translation>PNG (без потерь)</translation>
    </message>
    <message>
        <source>Exact colours; about three times the size of a JPEG scene.</source>
        <translation>Точные цвета; примерно втрое больше снимка в JPEG.</translation>
    </message>
    <message>
        <source>None (masks only)</source>
        <translation>Без наложений (только маски)</translation>
    </message>
    <message>
        <source>The smallest results; the mask viewer paints overlays itself.</source>
        <translation>Самые компактные результаты; просмотрщик масок рисует наложения сам.</translation>
    </message>
    <message>
        <source>The picture of each image with the oil painted over it, kept beside its mask in the results. Masks are always lossless PNG.</source>
        <translation>Снимок с закрашенной нефтью, сохраняемый в результатах рядом с его маской. Маски всегда сохраняются в PNG без потерь.</translation>
    </message>
    <message>
        <source>Application</source>
        <translation>Программа</translation>
    </message>
    <message>
        <source>System language</source>
        <translation>Язык системы</translation>
    </message>
    <message>
        <source>Language:</source>
        <translation>Язык:</translation>
    </message>
    <message>
        <source>A new language applies when the app restarts.</source>
        <translation>Новый язык начнёт действовать после перезапуска программы.</translation>
    </message>
    <message>
        <source> days</source>
        <translation> дн.</translation>
    </message>
    <message>
        <source>Working files of finished jobs are kept this long, so re-running a job is instant; 0 removes them at once.</source>
        <translation>Сколько хранить рабочие файлы завершённых заданий, чтобы повторный запуск был мгновенным; 0 — удалять сразу.</translation>
    </message>
    <message>
        <source>Keep working files:</source>
        <translation>Хранить рабочие файлы:</translation>
    </message>
</context>
<context>
    <name>GeoPanel</name>
    <message>
        <source>On the map</source>
        <translation>На карте</translation>
    </message>
    <message>
        <source>Coordinates</source>
        <translation>Координаты</translation>
    </message>
    <message>
        <source>Pixel size</source>
        <translation>Размер пикселя</translation>
    </message>
    <message>
        <source>Oil area</source>
        <translation>Площадь нефти</translation>
    </message>
    <message>
        <source>Slicks</source>
        <translation>Пятна</translation>
    </message>
    <message>
        <source>Cursor</source>
        <translation>Курсор</translation>
    </message>
    <message>
        <source>Export slicks…</source>
        <translation>Экспорт пятен…</translation>
    </message>
    <message>
        <source>Save every slick of these results as GeoJSON or as a GeoPackage layer</source>
        <translation>Сохранить все пятна этих результатов в GeoJSON или слоем GeoPackage</translation>
    </message>
    <message>
        <source>{size} m</source>
        <translation>{size} м</translation>
    </message>
    <message>
        <source>{area} km²</source>
        <translation>{area} км²</translation>
    </message>
    <message numerus="yes">
        <source>%n slick(s)</source>
        <translation>
            <numerusform>%n пятно</numerusform>
            <numerusform>%n пятна</numerusform>
            <numerusform>%n пятен</numerusform>
        </translation>
    </message>
    <message>
        <source>none</source>
        <translation>нет</translation>
    </message>
    <message>
        <source>{number}: {area} km²</source>
        <translation>{number}: {area} км²</translation>
    </message>
    <message numerus="yes">
        <source>and %n more</source>
        <translation>
            <numerusform>и ещё %n</numerusform>
            <numerusform>и ещё %n</numerusform>
            <numerusform>и ещё %n</numerusform>
        </translation>
    </message>
    <message>
        <source>N</source>
        <translation>с. ш.</translation>
    </message>
    <message>
        <source>S</source>
        <translation>ю. ш.</translation>
    </message>
    <message>
        <source>E</source>
        <translation>в. д.</translation>
    </message>
    <message>
        <source>W</source>
        <translation>з. д.</translation>
    </message>
</context>
<context>
    <name>GeoView</name>
    <message>
        <source>Export slicks</source>
        <translation>Экспорт пятен</translation>
    </message>
    <message>
        <source>GeoPackage (*.gpkg);;GeoJSON (*.geojson)</source>
        <translation>GeoPackage (*.gpkg);;GeoJSON (*.geojson)</translation>
    </message>
    <message numerus="yes">
        <source>%n slick(s) exported to {path}</source>
        <translation>
            <numerusform>%n пятно сохранено в {path}</numerusform>
            <numerusform>%n пятна сохранены в {path}</numerusform>
            <numerusform>%n пятен сохранено в {path}</numerusform>
        </translation>
    </message>
    <message>
        <source>The slicks could not be exported to {path}: {reason}</source>
        <translation>Не удалось сохранить пятна в {path}: {reason}</translation>
    </message>
</context>
<context>
    <name>HelpDialog</name>
    <message>
        <source>Help — {app}</source>
        <translation>Справка — {app}</translation>
    </message>
    <message>
        <source>Version {version}</source>
        <translation>Версия {version}</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Настройки</translation>
    </message>
    <message>
        <source>Log files</source>
        <translation>Файлы журнала</translation>
    </message>
    <message>
        <source>Working files</source>
        <translation>Рабочие файлы</translation>
    </message>
    <message>
        <source>Built with Qt {qt} (PySide6 {pyside}).</source>
        <translation>Собрано с Qt {qt} (PySide6 {pyside}).</translation>
    </message>
    <message>
        <source>How it works</source>
        <translation>Как это работает</translation>
    </message>
    <message>
        <source>Keyboard</source>
        <translation>Клавиатура</translation>
    </message>
    <message>
        <source>Where things are</source>
        <translation>Где что лежит</translation>
    </message>
    <message>
        <source>Open zip archives</source>
        <translation>Открыть zip-архивы</translation>
    </message>
    <message>
        <source>Open a folder of images</source>
        <translation>Открыть папку со снимками</translation>
    </message>
    <message>
        <source>Space</source>
        <translation>Пробел</translation>
    </message>
    <message>
        <source>Pause or resume the selected job</source>
        <translation>Приостановить или продолжить выбранное задание</translation>
    </message>
    <message>
        <source>Retry the failed images of the selected job</source>
        <translation>Повторить неудавшиеся снимки выбранного задания</translation>
    </message>
    <message>
        <source>Enter</source>
        <translation>Enter</translation>
    </message>
    <message>
        <source>Open the results of the selected job</source>
        <translation>Открыть результаты выбранного задания</translation>
    </message>
    <message>
        <source>View the masks of the selected job</source>
        <translation>Просмотреть маски выбранного задания</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Delete</translation>
    </message>
    <message>
        <source>Remove a finished job from the list</source>
        <translation>Убрать завершённое задание из списка</translation>
    </message>
    <message>
        <source>Show or hide the log</source>
        <translation>Показать или скрыть журнал</translation>
    </message>
    <message>
        <source>This help</source>
        <translation>Эта справка</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>Выход</translation>
    </message>
    <message>
        <source>Drop zip archives of survey images (PNG, JPEG, BMP, TIFF) anywhere on the window, or use File → Open archives. A folder of images, or images dropped together, become one job.</source>
        <translation>Перетащите zip-архивы со снимками (PNG, JPEG, BMP, TIFF) в любое место окна или воспользуйтесь командой Файл → Открыть архивы. Папка со снимками или перетащенные вместе снимки становятся одним заданием.</translation>
    </message>
    <message>
        <source>Each job finds oil spills in every image and writes a results zip beside its input (or in the folder chosen in the settings): masks, overlays and a report in CSV and JSON.</source>
        <translation>Каждое задание ищет нефтяные разливы на всех снимках и записывает архив результатов рядом с исходным архивом (или в папку, выбранную в настройках): маски, наложения и отчёт в форматах CSV и JSON.</translation>
    </message>
    <message>
        <source>Images that fail are listed in the report; “Retry failed images” sends only them again. A job that was stopped resumes where it left off when run again.</source>
        <translation>Неудавшиеся снимки перечислены в отчёте; команда «Повторить неудавшиеся снимки» отправляет заново только их. Остановленное задание при повторном запуске продолжается с того места, где остановилось.</translation>
    </message>
    <message>
        <source>The built-in engine works offline. To use an ML service, choose it in Settings → Engine and press “Test connection”.</source>
        <translation>Встроенный движок работает без сети. Чтобы использовать ML-сервис, выберите его в разделе Настройки → Движок и нажмите «Проверить соединение».</translation>
    </message>
</context>
<context>
    <name>ImageExporter</name>
    <message>
        <source>Export picture as PNG</source>
        <translation>Экспорт картинки в PNG</translation>
    </message>
    <message>
        <source>PNG images (*.png)</source>
        <translation>Изображения PNG (*.png)</translation>
    </message>
    <message>
        <source>It is the preview, reduced 1:{factor}; the full-size mask is {mask} in the results.</source>
        <translation>Это уменьшенный просмотр (1:{factor}); маска в полном размере — {mask} в результатах.</translation>
    </message>
    <message>
        <source>It is the preview, reduced 1:{factor}.</source>
        <translation>Это уменьшенный просмотр (1:{factor}).</translation>
    </message>
    <message>
        <source>Saved {path}.</source>
        <translation>Сохранено: {path}.</translation>
    </message>
    <message>
        <source>Could not save {path}.</source>
        <translation>Не удалось сохранить {path}.</translation>
    </message>
    <message>
        <source>The picture is on the clipboard.</source>
        <translation>Картинка в буфере обмена.</translation>
    </message>
</context>
<context>
    <name>ImageList</name>
    <message>
        <source>All images</source>
        <translation>Все снимки</translation>
    </message>
    <message>
        <source>Oil found</source>
        <translation>Найдена нефть</translation>
    </message>
    <message>
        <source>No oil</source>
        <translation>Нефти нет</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Ошибка</translation>
    </message>
    <message>
        <source>Oil, not reviewed</source>
        <translation>Нефть, не проверено</translation>
    </message>
    <message>
        <source>Confirmed oil</source>
        <translation>Нефть подтверждена</translation>
    </message>
    <message>
        <source>Look-alike</source>
        <translation>Ложный разлив</translation>
    </message>
    <message>
        <source>Unsure</source>
        <translation>Не ясно</translation>
    </message>
</context>
<context>
    <name>InputTracker</name>
    <message>
        <source>{name} cannot be read: {reason}.</source>
        <translation>Не удаётся прочитать {name}: {reason}.</translation>
    </message>
    <message>
        <source>{name} is not the archive these results were made from (its size differs).</source>
        <translation>{name} — не тот архив, по которому получены эти результаты (у него другой размер).</translation>
    </message>
    <message>
        <source>Opening the input archive {name}…</source>
        <translation>Открывается исходный архив {name}…</translation>
    </message>
    <message>
        <source>The originals cannot be read from {name}: {reason}</source>
        <translation>Не удаётся прочитать оригиналы из {name}: {reason}</translation>
    </message>
    <message>
        <source>Originals from {name}.</source>
        <translation>Оригиналы из {name}.</translation>
    </message>
</context>
<context>
    <name>IntakeController</name>
    <message>
        <source>{name} is already in the queue.</source>
        <translation>{name} уже в очереди.</translation>
    </message>
    <message numerus="yes">
        <source>%n item(s) could not be used; see the log.</source>
        <translation>
            <numerusform>%n объект нельзя использовать; подробности в журнале.</numerusform>
            <numerusform>%n объекта нельзя использовать; подробности в журнале.</numerusform>
            <numerusform>%n объектов нельзя использовать; подробности в журнале.</numerusform>
        </translation>
    </message>
    <message>
        <source>{path} no longer exists.</source>
        <translation>{path} больше не существует.</translation>
    </message>
    <message>
        <source>The folder {name} holds no images (PNG, JPEG, BMP, TIFF) and no zip archives.</source>
        <translation>В папке {name} нет ни снимков (PNG, JPEG, BMP, TIFF), ни zip-архивов.</translation>
    </message>
    <message>
        <source>The folder {name} holds too many files; only the first 200,000 were looked at.</source>
        <translation>В папке {name} слишком много файлов; просмотрены только первые 200 000.</translation>
    </message>
    <message>
        <source>{name} is neither a zip archive nor an image (PNG, JPEG, BMP, TIFF), so it was not queued.</source>
        <translation>{name} — не zip-архив и не снимок (PNG, JPEG, BMP, TIFF), поэтому он не поставлен в очередь.</translation>
    </message>
    <message>
        <source>The images could not be gathered into an archive: {reason}</source>
        <translation>Не удалось собрать снимки в архив: {reason}</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>Отменено.</translation>
    </message>
    <message>
        <source>The sample survey is not part of this installation.</source>
        <translation>Пример съёмки не входит в эту установку.</translation>
    </message>
    <message>
        <source>Open survey archives</source>
        <translation>Открыть архивы съёмок</translation>
    </message>
    <message>
        <source>Zip archives (*.zip)</source>
        <translation>Zip-архивы (*.zip)</translation>
    </message>
    <message>
        <source>Images (*.png *.jpg *.jpeg *.bmp *.tif *.tiff)</source>
        <translation>Снимки (*.png *.jpg *.jpeg *.bmp *.tif *.tiff)</translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation>Все файлы (*)</translation>
    </message>
    <message>
        <source>Open a folder of images</source>
        <translation>Открыть папку со снимками</translation>
    </message>
    <message>
        <source>Open a results zip</source>
        <translation>Открыть архив результатов</translation>
    </message>
    <message>
        <source>Results (*_results*.zip *.zip);;All files (*)</source>
        <translation>Результаты (*_results*.zip *.zip);;Все файлы (*)</translation>
    </message>
    <message>
        <source>No recent files</source>
        <translation>Нет недавних файлов</translation>
    </message>
    <message>
        <source>Clear the list</source>
        <translation>Очистить список</translation>
    </message>
    <message>
        <source>Only files on this computer can be processed; download them first.</source>
        <translation>Обрабатывать можно только файлы на этом компьютере; сначала скачайте их.</translation>
    </message>
</context>
<context>
    <name>ItemListModel</name>
    <message>
        <source>Image</source>
        <translation>Снимок</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Состояние</translation>
    </message>
    <message>
        <source>Oil</source>
        <translation>Нефть</translation>
    </message>
    <message>
        <source>Verdict</source>
        <translation>Заключение</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Примечание</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>Успешно</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Ошибка</translation>
    </message>
    <message>
        <source>(note only)</source>
        <translation>(только примечание)</translation>
    </message>
    <message>
        <source>Note: {note}</source>
        <translation>Примечание: {note}</translation>
    </message>
    <message>
        <source>picture</source>
        <translation>изображение</translation>
    </message>
</context>
<context>
    <name>ItemLoader</name>
    <message>
        <source>This image could not be shown: {reason}</source>
        <translation>Этот снимок не удалось показать: {reason}</translation>
    </message>
</context>
<context>
    <name>JobActions</name>
    <message>
        <source>{name} has no failed images to retry.</source>
        <translation>В задании {name} нет неудавшихся снимков для повтора.</translation>
    </message>
    <message>
        <source>{name} has no finished images to save.</source>
        <translation>В задании {name} нет обработанных снимков для сохранения.</translation>
    </message>
    <message>
        <source>No program is set to open {name}.</source>
        <translation>Не назначена программа для открытия {name}.</translation>
    </message>
    <message>
        <source>{name} is still running; cancel it first.</source>
        <translation>Задание {name} ещё выполняется; сначала отмените его.</translation>
    </message>
</context>
<context>
    <name>JobProgress</name>
    <message>
        <source>tile %1 / %2</source>
        <translation>тайл %1 / %2</translation>
    </message>
</context>
<context>
    <name>JobState</name>
    <message>
        <source>Queued</source>
        <translation>В очереди</translation>
    </message>
    <message>
        <source>Preparing</source>
        <translation>Подготовка</translation>
    </message>
    <message>
        <source>Running</source>
        <translation>Выполняется</translation>
    </message>
    <message>
        <source>Waiting for endpoint</source>
        <translation>Ожидание сервиса</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>Приостановлено</translation>
    </message>
    <message>
        <source>Writing results</source>
        <translation>Запись результатов</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Готово</translation>
    </message>
    <message>
        <source>Done with failures</source>
        <translation>Готово, есть ошибки</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Ошибка</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Отменено</translation>
    </message>
    <message>
        <source>Gathering images</source>
        <translation>Сбор снимков</translation>
    </message>
</context>
<context>
    <name>Legend</name>
    <message>
        <source>Sea</source>
        <translation>Море</translation>
    </message>
    <message>
        <source>Oil</source>
        <translation>Нефть</translation>
    </message>
    <message>
        <source>Look-alike</source>
        <translation>Ложный разлив</translation>
    </message>
    <message>
        <source>Ship</source>
        <translation>Судно</translation>
    </message>
    <message>
        <source>Land</source>
        <translation>Суша</translation>
    </message>
</context>
<context>
    <name>LogDock</name>
    <message>
        <source>Log</source>
        <translation>Журнал</translation>
    </message>
    <message>
        <source>Show messages of this level and above</source>
        <translation>Показывать сообщения этого уровня и выше</translation>
    </message>
    <message>
        <source>Filter messages</source>
        <translation>Фильтр сообщений</translation>
    </message>
    <message>
        <source>Open log folder</source>
        <translation>Открыть папку журнала</translation>
    </message>
    <message>
        <source>Clear the panel (the log file is kept)</source>
        <translation>Очистить панель (файл журнала сохраняется)</translation>
    </message>
    <message>
        <source>Warning</source>
        <translation>Предупреждение</translation>
    </message>
    <message>
        <source>Everything</source>
        <translation>Все сообщения</translation>
    </message>
    <message>
        <source>Info and above</source>
        <translation>Информация и выше</translation>
    </message>
    <message>
        <source>Warnings and errors</source>
        <translation>Предупреждения и ошибки</translation>
    </message>
    <message>
        <source>Errors only</source>
        <translation>Только ошибки</translation>
    </message>
</context>
<context>
    <name>LogLevel</name>
    <message>
        <source>Error</source>
        <translation>Ошибка</translation>
    </message>
    <message>
        <source>Warning</source>
        <translation>Предупреждение</translation>
    </message>
    <message>
        <source>Info</source>
        <translation>Информация</translation>
    </message>
    <message>
        <source>Debug</source>
        <translation>Отладка</translation>
    </message>
</context>
<context>
    <name>LogModel</name>
    <message>
        <source>Time</source>
        <translation>Время</translation>
    </message>
    <message>
        <source>Level</source>
        <translation>Уровень</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Сообщение</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Your settings file could not be read, so the default settings are in use. The old file was kept. Details: {problem}</source>
        <translation>Файл настроек не удалось прочитать, поэтому используются настройки по умолчанию. Старый файл сохранён. Подробности: {problem}</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Файл</translation>
    </message>
    <message>
        <source>&amp;Job</source>
        <translation>&amp;Задание</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Вид</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Справка</translation>
    </message>
    <message>
        <source>Toolbar</source>
        <translation>Панель инструментов</translation>
    </message>
    <message>
        <source>&amp;Toolbar</source>
        <translation>&amp;Панель инструментов</translation>
    </message>
    <message>
        <source>Queue</source>
        <translation>Очередь</translation>
    </message>
    <message>
        <source>Clear finished</source>
        <translation>Убрать завершённые</translation>
    </message>
    <message>
        <source>&amp;Log</source>
        <translation>&amp;Журнал</translation>
    </message>
    <message>
        <source>&amp;Open Archives…</source>
        <translation>&amp;Открыть архивы…</translation>
    </message>
    <message>
        <source>Queue zip archives of survey images</source>
        <translation>Поставить в очередь zip-архивы со снимками</translation>
    </message>
    <message>
        <source>Open &amp;Folder of Images…</source>
        <translation>Открыть &amp;папку со снимками…</translation>
    </message>
    <message>
        <source>Queue a folder of images as one job</source>
        <translation>Поставить папку со снимками в очередь одним заданием</translation>
    </message>
    <message>
        <source>Open Results in &amp;Viewer…</source>
        <translation>Открыть результаты в &amp;просмотрщике…</translation>
    </message>
    <message>
        <source>Look at the masks and overlays of a results zip</source>
        <translation>Посмотреть маски и наложения из архива результатов</translation>
    </message>
    <message>
        <source>Queue the &amp;Sample Survey</source>
        <translation>Обработать &amp;пример съёмки</translation>
    </message>
    <message>
        <source>Process the small survey bundled with the app</source>
        <translation>Обработать небольшую съёмку, входящую в комплект программы</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>&amp;Настройки…</translation>
    </message>
    <message>
        <source>Engine, endpoint, output folder, language</source>
        <translation>Движок, адрес сервиса, папка результатов, язык</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>В&amp;ыход</translation>
    </message>
    <message>
        <source>Pause or Resume</source>
        <translation>Приостановить или продолжить</translation>
    </message>
    <message>
        <source>Open Results</source>
        <translation>Открыть результаты</translation>
    </message>
    <message>
        <source>Clear &amp;Finished Jobs</source>
        <translation>Убрать &amp;завершённые задания</translation>
    </message>
    <message>
        <source>Cancel &amp;All Jobs</source>
        <translation>Отменить &amp;все задания</translation>
    </message>
    <message>
        <source>&amp;Help and About</source>
        <translation>&amp;Справка и о программе</translation>
    </message>
    <message>
        <source>Open &amp;Log Folder</source>
        <translation>Открыть папку &amp;журнала</translation>
    </message>
    <message>
        <source>About &amp;Qt</source>
        <translation>О &amp;Qt</translation>
    </message>
    <message>
        <source>About &amp;Models</source>
        <translation>О &amp;моделях</translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation>&amp;Недавние</translation>
    </message>
</context>
<context>
    <name>MessageBanner</name>
    <message>
        <source>Dismiss</source>
        <translation>Закрыть</translation>
    </message>
</context>
<context>
    <name>ModelBox</name>
    <message>
        <source>Model</source>
        <translation>Модель</translation>
    </message>
    <message>
        <source>the bundled model</source>
        <translation>встроенная модель</translation>
    </message>
    <message>
        <source>An ONNX segmentation model of your own, with a JSON description of the same name beside it (input size, normalisation, classes, which class is oil). Leave empty for the bundled model.</source>
        <translation>Собственная модель сегментации ONNX с описанием JSON того же имени рядом (размер входа, нормализация, классы, какой класс — нефть). Оставьте пустым для встроенной модели.</translation>
    </message>
    <message>
        <source>Choose an ONNX model</source>
        <translation>Выберите модель ONNX</translation>
    </message>
    <message>
        <source>Model file:</source>
        <translation>Файл модели:</translation>
    </message>
    <message>
        <source>ONNX models (*.onnx);;All files (*)</source>
        <translation>Модели ONNX (*.onnx);;Все файлы (*)</translation>
    </message>
    <message>
        <source>The bundled model (Help → About Models).</source>
        <translation>Встроенная модель (Справка → О моделях).</translation>
    </message>
    <message>
        <source>Reading the model&apos;s description…</source>
        <translation>Чтение описания модели…</translation>
    </message>
    <message>
        <source>grey</source>
        <translation>одноканальный (серый)</translation>
    </message>
    <message>
        <source>colour</source>
        <translation>цветной (RGB)</translation>
    </message>
    <message>
        <source>{name}: {tile}×{tile} tiles, {input} input, oil is class “{oil}”.</source>
        <translation>{name}: фрагменты {tile}×{tile}, вход {input}, нефть — класс «{oil}».</translation>
    </message>
</context>
<context>
    <name>ModelsDialog</name>
    <message>
        <source>About Models</source>
        <translation>О моделях</translation>
    </message>
    <message>
        <source>Bundled model</source>
        <translation>Встроенная модель</translation>
    </message>
    <message>
        <source>Your model</source>
        <translation>Ваша модель</translation>
    </message>
    <message>
        <source>Reading the model&apos;s description…</source>
        <translation>Чтение описания модели…</translation>
    </message>
    <message>
        <source>Its description file could not be read: {reason}.</source>
        <translation>Файл описания модели не читается: {reason}.</translation>
    </message>
</context>
<context>
    <name>Originals</name>
    <message>
        <source>The report does not name the input archive, so the originals are not shown.</source>
        <translation>В отчёте не указан исходный архив, поэтому оригиналы не показываются.</translation>
    </message>
    <message>
        <source>{name} has changed since these results were made, so its originals are not shown; masks and overlays are.</source>
        <translation>Архив {name} изменился после получения этих результатов, поэтому его оригиналы не показываются; маски и наложения показываются.</translation>
    </message>
    <message>
        <source>The original images are not available: {name} is not beside the results. Masks and overlays are shown; use “Locate input…” to point to it.</source>
        <translation>Оригинальные снимки недоступны: архива {name} нет рядом с результатами. Маски и наложения показываются; укажите архив командой «Найти исходный архив…».</translation>
    </message>
    <message>
        <source>{name} is not the archive these results were made from (its contents differ), so its originals are not shown.</source>
        <translation>{name} — не тот архив, по которому получены эти результаты (содержимое отличается), поэтому его оригиналы не показываются.</translation>
    </message>
    <message>
        <source>{path} is not in the input archive any more.</source>
        <translation>{path} больше нет в исходном архиве.</translation>
    </message>
</context>
<context>
    <name>OverlayControls</name>
    <message>
        <source>Overlay</source>
        <translation>Наложение</translation>
    </message>
    <message>
        <source>How strongly the mask is painted over the original</source>
        <translation>Насколько плотно маска накладывается на оригинал</translation>
    </message>
    <message>
        <source>Fill</source>
        <translation>Заливка</translation>
    </message>
    <message>
        <source>Outline</source>
        <translation>Контур</translation>
    </message>
    <message>
        <source>Opacity</source>
        <translation>Непрозрачность</translation>
    </message>
    <message>
        <source>The engine answered with an annotated picture, not a mask: the overlay is that picture as it came, so opacity and outline do not apply.</source>
        <translation>Движок вернул размеченное изображение, а не маску: наложение показывается в том виде, в каком пришло, поэтому непрозрачность и контур к нему не применяются.</translation>
    </message>
    <message>
        <source>The original is not available: the overlay is the one saved in the results, so opacity and outline do not apply.</source>
        <translation>Оригинал недоступен: показывается наложение, сохранённое в результатах, поэтому непрозрачность и контур к нему не применяются.</translation>
    </message>
</context>
<context>
    <name>Pictures</name>
    <message>
        <source>{name} is not a readable picture.</source>
        <translation>{name} — нечитаемое изображение.</translation>
    </message>
    <message>
        <source>{name} is {w}x{h} pixels, more than the viewer will open.</source>
        <translation>{name} имеет размер {w}x{h} пикселей — больше, чем может открыть просмотрщик.</translation>
    </message>
    <message>
        <source>{name} is damaged: its rows are cut short or do not unpack.</source>
        <translation>{name} повреждён: его строки обрываются или не распаковываются.</translation>
    </message>
    <message>
        <source>The mask could not be shown: {reason}</source>
        <translation>Маску не удалось показать: {reason}</translation>
    </message>
    <message>
        <source>No mask: this image failed. {error}</source>
        <translation>Маски нет: этот снимок обработать не удалось. {error}</translation>
    </message>
    <message>
        <source>The engine answered with an annotated picture rather than a mask; it is shown as the overlay.</source>
        <translation>Движок вернул размеченное изображение вместо маски; оно показано как наложение.</translation>
    </message>
    <message>
        <source>The report does not say which archive member this was.</source>
        <translation>В отчёте не указано, какому файлу архива соответствует этот снимок.</translation>
    </message>
    <message>
        <source>The original in the input archive is {w}x{h} pixels, not {ew}x{eh} as in the results: it is not the image these results were made from.</source>
        <translation>Оригинал в исходном архиве имеет размер {w}x{h} пикселей, а не {ew}x{eh}, как в результатах: это не тот снимок, по которому получены результаты.</translation>
    </message>
    <message>
        <source>The original could not be read: {reason}</source>
        <translation>Не удалось прочитать оригинал: {reason}</translation>
    </message>
    <message>
        <source>The overlay could not be shown: {reason}</source>
        <translation>Наложение не удалось показать: {reason}</translation>
    </message>
</context>
<context>
    <name>ProcessingPage</name>
    <message>
        <source>Work</source>
        <translation>Работа</translation>
    </message>
    <message>
        <source>Images processed at the same time in one job.</source>
        <translation>Сколько снимков одного задания обрабатывается одновременно.</translation>
    </message>
    <message>
        <source>Images in parallel per job:</source>
        <translation>Снимков параллельно в задании:</translation>
    </message>
    <message>
        <source>1 runs the queue one job after another; more run jobs side by side.</source>
        <translation>При значении 1 задания выполняются по очереди; при большем — одновременно.</translation>
    </message>
    <message>
        <source>Jobs at the same time:</source>
        <translation>Заданий одновременно:</translation>
    </message>
    <message>
        <source>Find how many requests an ML service takes</source>
        <translation>Подбирать, сколько запросов принимает ML-сервис</translation>
    </message>
    <message>
        <source>Start with two requests at once and raise the number while the service answers as fast as when idle, lower it when answers slow down or it says it is busy; never above the images in parallel. Always on with several endpoints.</source>
        <translation>Начинать с двух запросов одновременно и увеличивать их число, пока сервис отвечает так же быстро, как без нагрузки; уменьшать, когда ответы замедляются или сервис сообщает о занятости; не больше, чем изображений параллельно. С несколькими адресами включено всегда.</translation>
    </message>
    <message>
        <source>Limits for each image</source>
        <translation>Ограничения для каждого снимка</translation>
    </message>
    <message>
        <source> megapixels</source>
        <translation> Мпикс</translation>
    </message>
    <message>
        <source>Largest image:</source>
        <translation>Наибольший снимок:</translation>
    </message>
    <message>
        <source>A TIFF or GeoTIFF larger than this is never decoded whole: it is read, segmented and written in windows of 1536 × 1536 pixels, several windows at once, and the largest-image limit then applies to each window. Smaller images are processed whole.</source>
        <translation>TIFF или GeoTIFF больше этого размера никогда не декодируется целиком: он читается, сегментируется и записывается окнами по 1536 × 1536 пикселей, по нескольку окон сразу, и предел наибольшего снимка тогда действует для каждого окна. Снимки меньше обрабатываются целиком.</translation>
    </message>
    <message>
        <source>Large scenes in windows above:</source>
        <translation>Сцены обрабатывать окнами свыше:</translation>
    </message>
    <message>
        <source> MB</source>
        <translation> МБ</translation>
    </message>
    <message>
        <source>Largest file in an archive:</source>
        <translation>Наибольший файл в архиве:</translation>
    </message>
    <message>
        <source>Members that unpack to more than this many times their size are refused.</source>
        <translation>Файлы, которые при распаковке увеличиваются больше чем во столько раз, отклоняются.</translation>
    </message>
    <message>
        <source>Highest compression ratio:</source>
        <translation>Наибольшая степень сжатия:</translation>
    </message>
    <message>
        <source>Which band of a multi-band radar TIFF is shown and segmented: 1 is the first (VV or HH in dual-polarisation products). Images with fewer bands use band 1.</source>
        <translation>Какой канал многоканального радарного TIFF показывается и сегментируется: 1 — первый (VV или HH в продуктах с двойной поляризацией). Для снимков с меньшим числом каналов берётся канал 1.</translation>
    </message>
    <message>
        <source>Band of multi-band images:</source>
        <translation>Канал многоканальных снимков:</translation>
    </message>
    <message>
        <source>Detect</source>
        <translation>Определять</translation>
    </message>
    <message>
        <source>How file names inside old zip archives are decoded (cp866 for DOS Russian).</source>
        <translation>Как декодируются имена файлов в старых zip-архивах (cp866 — русская кодировка DOS).</translation>
    </message>
    <message>
        <source>File names in archives:</source>
        <translation>Имена файлов в архивах:</translation>
    </message>
</context>
<context>
    <name>ProgressCell</name>
    <message>
        <source>%p%</source>
        <comment>a job&apos;s progress bar: %p is the percentage</comment>
        <translation>%p %</translation>
    </message>
</context>
<context>
    <name>ProgressPresenter</name>
    <message numerus="yes">
        <source>%Ln job(s)</source>
        <translation>
            <numerusform>%Ln задание</numerusform>
            <numerusform>%Ln задания</numerusform>
            <numerusform>%Ln заданий</numerusform>
        </translation>
    </message>
    <message>
        <source>{count} {state}</source>
        <comment>a count of jobs in a state: 2 running</comment>
        <translation>{state}: {count}</translation>
    </message>
    <message numerus="yes">
        <source>{done} of %Ln image(s)</source>
        <translation>
            <numerusform>{done} из %Ln снимка</numerusform>
            <numerusform>{done} из %Ln снимков</numerusform>
            <numerusform>{done} из %Ln снимков</numerusform>
        </translation>
    </message>
    <message>
        <source>{percent}% — {app}</source>
        <comment>the window title while jobs run</comment>
        <translation>{percent} % — {app}</translation>
    </message>
    <message numerus="yes">
        <source>{name}: all %Ln image(s) done.</source>
        <translation>
            <numerusform>{name}: %Ln снимок обработан.</numerusform>
            <numerusform>{name}: все %Ln снимка обработаны.</numerusform>
            <numerusform>{name}: все %Ln снимков обработаны.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>{name}: %Ln image(s) done, {failed} failed.</source>
        <translation>
            <numerusform>{name}: обработан %Ln снимок, с ошибками: {failed}.</numerusform>
            <numerusform>{name}: обработано %Ln снимка, с ошибками: {failed}.</numerusform>
            <numerusform>{name}: обработано %Ln снимков, с ошибками: {failed}.</numerusform>
        </translation>
    </message>
    <message>
        <source>{name} failed: {reason}</source>
        <translation>Задание {name} не выполнено: {reason}</translation>
    </message>
    <message>
        <source>No oil found.</source>
        <translation>Нефть не найдена.</translation>
    </message>
    <message numerus="yes">
        <source>Oil in %Ln image(s).</source>
        <translation>
            <numerusform>%Ln снимок с нефтью.</numerusform>
            <numerusform>%Ln снимка с нефтью.</numerusform>
            <numerusform>%Ln снимков с нефтью.</numerusform>
        </translation>
    </message>
    <message>
        <source>Job finished</source>
        <translation>Задание выполнено</translation>
    </message>
    <message>
        <source>Job finished with failures</source>
        <translation>Задание выполнено с ошибками</translation>
    </message>
    <message>
        <source>Job failed</source>
        <translation>Задание не выполнено</translation>
    </message>
</context>
<context>
    <name>QueueModel</name>
    <message>
        <source>Archive</source>
        <translation>Архив</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>Ход работы</translation>
    </message>
    <message>
        <source>Done / failed / total</source>
        <translation>Готово / ошибки / всего</translation>
    </message>
    <message>
        <source>Images/s</source>
        <translation>Снимков/с</translation>
    </message>
    <message>
        <source>Time left</source>
        <translation>Осталось</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Состояние</translation>
    </message>
    <message numerus="yes">
        <source>Save results of the %n image(s) done</source>
        <translation>
            <numerusform>Сохранить результаты %n обработанного снимка</numerusform>
            <numerusform>Сохранить результаты %n обработанных снимков</numerusform>
            <numerusform>Сохранить результаты %n обработанных снимков</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln with oil</source>
        <comment>images in which oil was found</comment>
        <translation>
            <numerusform>%Ln снимок с нефтью</numerusform>
            <numerusform>%Ln снимка с нефтью</numerusform>
            <numerusform>%Ln снимков с нефтью</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Gathering {done} of %Ln image(s) into an archive</source>
        <translation>
            <numerusform>Собрано в архив {done} из %Ln снимка</numerusform>
            <numerusform>Собрано в архив {done} из %Ln снимков</numerusform>
            <numerusform>Собрано в архив {done} из %Ln снимков</numerusform>
        </translation>
    </message>
    <message>
        <source>{reason}; next try in {time}, gives up in {limit}</source>
        <translation>{reason}; следующая попытка через {time}, ожидание прекратится через {limit}</translation>
    </message>
    <message numerus="yes">
        <source>Resumed: %Ln image(s) were already done</source>
        <translation>
            <numerusform>Продолжено: %Ln снимок уже был обработан</numerusform>
            <numerusform>Продолжено: %Ln снимка уже были обработаны</numerusform>
            <numerusform>Продолжено: %Ln снимков уже были обработаны</numerusform>
        </translation>
    </message>
    <message>
        <source>{url}: {rate}/s, {busy} of {limit} in flight</source>
        <translation>{url}: {rate}/с, в работе {busy} из {limit}</translation>
    </message>
    <message>
        <source>{endpoint} (down)</source>
        <translation>{endpoint} (недоступен)</translation>
    </message>
    <message>
        <source>Results: {path}</source>
        <translation>Результаты: {path}</translation>
    </message>
    <message numerus="yes">
        <source>{ok} succeeded, {failed} failed, %Ln image(s) in the archive</source>
        <translation>
            <numerusform>Успешно: {ok}, с ошибками: {failed}, всего в архиве %Ln снимок</numerusform>
            <numerusform>Успешно: {ok}, с ошибками: {failed}, всего в архиве %Ln снимка</numerusform>
            <numerusform>Успешно: {ok}, с ошибками: {failed}, всего в архиве %Ln снимков</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ReportExporter</name>
    <message>
        <source>A report can be exported once the job&apos;s results are written.</source>
        <translation>Отчёт можно экспортировать, когда результаты задания записаны.</translation>
    </message>
    <message>
        <source>Export report</source>
        <translation>Экспорт отчёта</translation>
    </message>
    <message>
        <source>Report page (*.html)</source>
        <translation>Страница отчёта (*.html)</translation>
    </message>
    <message>
        <source>Spreadsheet (*.csv)</source>
        <translation>Таблица (*.csv)</translation>
    </message>
    <message>
        <source>JSON (*.json)</source>
        <translation>JSON (*.json)</translation>
    </message>
    <message>
        <source>Writing {path}…</source>
        <translation>Записывается {path}…</translation>
    </message>
    <message>
        <source>Report saved to {path}.</source>
        <translation>Отчёт сохранён: {path}.</translation>
    </message>
    <message>
        <source>The report was not saved: {reason}</source>
        <translation>Отчёт не сохранён: {reason}</translation>
    </message>
</context>
<context>
    <name>ResultsSource</name>
    <message>
        <source>The picture name “{name}” is not valid.</source>
        <translation>Имя изображения «{name}» недопустимо.</translation>
    </message>
    <message>
        <source>“{name}” is a folder, not a results zip.</source>
        <translation>«{name}» — это папка, а не архив результатов.</translation>
    </message>
    <message>
        <source>The file “{name}” does not exist.</source>
        <translation>Файл «{name}» не существует.</translation>
    </message>
    <message>
        <source>The file “{name}” cannot be opened: permission denied.</source>
        <translation>Файл «{name}» не удаётся открыть: доступ запрещён.</translation>
    </message>
    <message>
        <source>The file “{name}” cannot be read: {reason}.</source>
        <translation>Файл «{name}» не удаётся прочитать: {reason}.</translation>
    </message>
    <message>
        <source>“{name}” is not a readable zip archive: it is damaged, cut short or another kind of file.</source>
        <translation>«{name}» — не читаемый zip-архив: он повреждён, обрезан или это файл другого типа.</translation>
    </message>
    <message>
        <source>“{name}” holds no report.json, so it is not a results file of this program.</source>
        <translation>В «{name}» нет report.json, значит, это не файл результатов этой программы.</translation>
    </message>
    <message>
        <source>The report.json in “{name}” is too large to be a report.</source>
        <translation>Файл report.json в «{name}» слишком велик для отчёта.</translation>
    </message>
    <message>
        <source>The report.json in “{name}” is damaged and cannot be unpacked.</source>
        <translation>Файл report.json в «{name}» повреждён и не распаковывается.</translation>
    </message>
    <message>
        <source>The report.json in “{name}” is not valid JSON.</source>
        <translation>Файл report.json в «{name}» не является корректным JSON.</translation>
    </message>
    <message>
        <source>{name} is too large to show ({size} MB).</source>
        <translation>{name} слишком велик для показа ({size} МБ).</translation>
    </message>
    <message>
        <source>{name} is missing from the results zip.</source>
        <translation>{name} отсутствует в архиве результатов.</translation>
    </message>
    <message>
        <source>{name} is damaged in the results zip.</source>
        <translation>{name} повреждён в архиве результатов.</translation>
    </message>
    <message>
        <source>{name} could not be read from the results zip: {reason}.</source>
        <translation>Не удалось прочитать {name} из архива результатов: {reason}.</translation>
    </message>
    <message>
        <source>{name} is too large to show.</source>
        <translation>{name} слишком велик для показа.</translation>
    </message>
    <message>
        <source>{name} is no longer in the job&apos;s working folder.</source>
        <translation>{name} больше нет в рабочей папке задания.</translation>
    </message>
    <message>
        <source>{name} could not be read: {reason}.</source>
        <translation>Не удалось прочитать {name}: {reason}.</translation>
    </message>
    <message>
        <source>The report.json in “{name}” does not list any items.</source>
        <translation>В report.json из «{name}» нет ни одной записи.</translation>
    </message>
</context>
<context>
    <name>ResumeController</name>
    <message numerus="yes">
        <source>%n interrupted job(s) can be resumed where they stopped ({names}; {done} images already done).</source>
        <translation>
            <numerusform>%n прерванное задание можно продолжить с места остановки ({names}; уже готово снимков: {done}).</numerusform>
            <numerusform>%n прерванных задания можно продолжить с места остановки ({names}; уже готово снимков: {done}).</numerusform>
            <numerusform>%n прерванных заданий можно продолжить с места остановки ({names}; уже готово снимков: {done}).</numerusform>
        </translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>Продолжить</translation>
    </message>
</context>
<context>
    <name>Review</name>
    <message>
        <source>Confirmed oil</source>
        <translation>Нефть подтверждена</translation>
    </message>
    <message>
        <source>Look-alike</source>
        <translation>Ложный разлив</translation>
    </message>
    <message>
        <source>Unsure</source>
        <translation>Не ясно</translation>
    </message>
</context>
<context>
    <name>ReviewController</name>
    <message>
        <source>Open a results zip to give verdicts.</source>
        <translation>Чтобы выносить заключения, откройте архив результатов.</translation>
    </message>
    <message>
        <source>Verdicts can be given once the job&apos;s results are written.</source>
        <translation>Заключения можно выносить, когда результаты задания записаны.</translation>
    </message>
    <message>
        <source>The verdicts are still being read.</source>
        <translation>Заключения ещё читаются.</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Примечание</translation>
    </message>
    <message>
        <source>A note on {name}:</source>
        <translation>Примечание к {name}:</translation>
    </message>
    <message>
        <source>Select an image first.</source>
        <translation>Сначала выберите снимок.</translation>
    </message>
    <message>
        <source>Verdicts are given on images with oil.</source>
        <translation>Заключения выносятся по снимкам с нефтью.</translation>
    </message>
    <message>
        <source>{name}: no verdict.</source>
        <translation>{name}: без заключения.</translation>
    </message>
    <message>
        <source>{name}: {verdict}.</source>
        <translation>{name}: {verdict}.</translation>
    </message>
    <message>
        <source>The verdict was not saved: {reason}</source>
        <translation>Заключение не сохранено: {reason}</translation>
    </message>
</context>
<context>
    <name>ScaleBar</name>
    <message>
        <source>{n} km</source>
        <translation>{n} км</translation>
    </message>
    <message>
        <source>{n} m</source>
        <translation>{n} м</translation>
    </message>
</context>
<context>
    <name>ServerBox</name>
    <message>
        <source>Oil Spill AI server</source>
        <translation>Сервер Oil Spill AI</translation>
    </message>
    <message>
        <source>The API token, timeouts, retries and TLS settings of the ML service group apply to the server too.</source>
        <translation>Токен API, тайм-ауты, повторы и настройки TLS из группы «ML-сервис» действуют и для сервера.</translation>
    </message>
    <message>
        <source>The backend&apos;s base address; parts go to /api/upload and come back from /api/download.</source>
        <translation>Базовый адрес бэкенда; части отправляются на /api/upload и возвращаются с /api/download.</translation>
    </message>
    <message>
        <source>Server URL:</source>
        <translation>Адрес сервера:</translation>
    </message>
    <message>
        <source> images</source>
        <translation> изобр.</translation>
    </message>
    <message>
        <source>Images sent together in one zip. Smaller parts: a failure costs less and progress moves more often; larger parts: fewer requests.</source>
        <translation>Изображения, отправляемые вместе в одном zip. Меньшие части: сбой обходится дешевле и прогресс обновляется чаще; большие части: меньше запросов.</translation>
    </message>
    <message>
        <source> min</source>
        <translation> мин</translation>
    </message>
    <message>
        <source>A part the server has not finished by then fails, with its images.</source>
        <translation>Часть, которую сервер не закончил к этому сроку, считается неудавшейся вместе с её изображениями.</translation>
    </message>
    <message>
        <source>deadline</source>
        <translation>срок</translation>
    </message>
    <message>
        <source>Parts of:</source>
        <translation>Части по:</translation>
    </message>
</context>
<context>
    <name>ServerConnectionTest</name>
    <message>
        <source>{url} is not an Oil Spill AI server: its answer to the upload is not the backend&apos;s ({detail}). Enter the backend&apos;s base address, without /api.</source>
        <translation>{url} — не сервер Oil Spill AI: его ответ на загрузку не похож на ответ бэкенда ({detail}). Укажите базовый адрес бэкенда, без /api.</translation>
    </message>
    <message>
        <source>{url} is not an Oil Spill AI server: it answered {status} to /api/upload. Enter the backend&apos;s base address (for example http://host:8000), without /api.</source>
        <translation>{url} — не сервер Oil Spill AI: на /api/upload он ответил {status}. Укажите базовый адрес бэкенда (например, http://host:8000), без /api.</translation>
    </message>
    <message>
        <source>The server failed on the test upload: it answered {status} ({detail}). Its log should say why.</source>
        <translation>Сервер не справился с тестовой загрузкой: он ответил {status} ({detail}). Причина должна быть в его журнале.</translation>
    </message>
    <message>
        <source>The server answered {status} to {path} ({detail}).</source>
        <translation>Сервер ответил {status} на {path} ({detail}).</translation>
    </message>
    <message>
        <source>The server took the test image, but its job was still {state} after {time}: no worker finished it. Check that the server&apos;s Celery workers and Redis are running, or allow a longer read timeout.</source>
        <translation>Сервер принял тестовое изображение, но его задание всё ещё было в состоянии {state} через {time}: ни один обработчик его не завершил. Проверьте, что на сервере запущены обработчики Celery и Redis, или увеличьте таймаут ответа.</translation>
    </message>
    <message>
        <source>The server&apos;s job failed on the test image: {detail}.</source>
        <translation>Задание сервера для тестового изображения завершилось ошибкой: {detail}.</translation>
    </message>
    <message>
        <source>The server finished the job, but its result zip is empty: its ML service answered nothing for the test image.</source>
        <translation>Сервер завершил задание, но архив результатов пуст: его ML-сервис ничего не ответил на тестовое изображение.</translation>
    </message>
    <message>
        <source>The server&apos;s download is not a zip ({detail}): something else (a proxy, a login page) answers at this address.</source>
        <translation>Скачанный с сервера файл — не zip ({detail}): по этому адресу отвечает что-то другое (прокси, страница входа).</translation>
    </message>
    <message>
        <source>The server answered for a different image ({detail}): its results could not be matched to the images sent.</source>
        <translation>Сервер ответил для другого изображения ({detail}): его результаты нельзя было бы сопоставить с отправленными изображениями.</translation>
    </message>
    <message>
        <source>The server&apos;s answer is {width}×{height} pixels, not the test image&apos;s {expected_width}×{expected_height}: its masks would not fit the images.</source>
        <translation>Ответ сервера — {width}×{height} пикселей, а не {expected_width}×{expected_height}, как тестовое изображение: его маски не совпали бы с изображениями.</translation>
    </message>
    <message>
        <source>Connected to an Oil Spill AI server: the test image went up as a part of its own and came back annotated ({width}×{height} {format}), found by its name, in {seconds} s.</source>
        <translation>Подключение к серверу Oil Spill AI: тестовое изображение ушло отдельной частью и вернулось размеченным ({width}×{height} {format}), найдено по своему имени, за {seconds} с.</translation>
    </message>
</context>
<context>
    <name>ServiceBox</name>
    <message>
        <source>ML service</source>
        <translation>ML-сервис</translation>
    </message>
    <message>
        <source>The address images are POSTed to, as multipart field &apos;file&apos;.</source>
        <translation>Адрес, на который снимки отправляются запросом POST в поле multipart &apos;file&apos;.</translation>
    </message>
    <message>
        <source>Endpoint URL:</source>
        <translation>Адрес сервиса (URL):</translation>
    </message>
    <message>
        <source>further endpoints used at once, one per line</source>
        <translation>дополнительные адреса, используемые одновременно, по одному в строке</translation>
    </message>
    <message>
        <source>One URL per line, optionally followed by kind=auto, kind=generic or kind=oilspill-ai and token=… (else the settings below apply). Images go to whichever endpoint will answer them soonest; one that is down is left alone until it is back.</source>
        <translation>Один URL в строке, после него можно указать kind=auto, kind=generic или kind=oilspill-ai и token=… (иначе действуют настройки ниже). Изображение уходит туда, где на него ответят раньше всего; недоступный адрес не используется, пока он не вернётся.</translation>
    </message>
    <message>
        <source>More endpoints:</source>
        <translation>Ещё адреса:</translation>
    </message>
    <message>
        <source>optional</source>
        <translation>необязательно</translation>
    </message>
    <message>
        <source>Sent as &apos;Authorization: Bearer &lt;token&gt;&apos;. Never written to the log.</source>
        <translation>Передаётся как &apos;Authorization: Bearer &lt;токен&gt;&apos;. Никогда не записывается в журнал.</translation>
    </message>
    <message>
        <source>Show or hide the token</source>
        <translation>Показать или скрыть токен</translation>
    </message>
    <message>
        <source>API token:</source>
        <translation>API-токен:</translation>
    </message>
    <message>
        <source>Convert to PNG when a service may not read the original</source>
        <translation>Преобразовывать в PNG, если сервис может не прочитать оригинал</translation>
    </message>
    <message>
        <source>Always send the original file</source>
        <translation>Всегда отправлять исходный файл</translation>
    </message>
    <message>
        <source>Images sent as:</source>
        <translation>Формат отправки:</translation>
    </message>
    <message>
        <source>What the service reads and answers; Test connection says what it found.</source>
        <translation>Что сервис принимает и чем отвечает; «Проверить соединение» сообщит, что обнаружено.</translation>
    </message>
    <message>
        <source>Service kind:</source>
        <translation>Тип сервиса:</translation>
    </message>
    <message>
        <source>Automatic</source>
        <translation>Автоматически</translation>
    </message>
    <message>
        <source>Start as a generic service; if it fails on a PNG with a plain 500 and answers the same image sent as JPEG, send JPEG named .jpg from then on.</source>
        <translation>Сначала как с обычным сервисом; если он отвечает на PNG простой ошибкой 500, а то же изображение в JPEG обрабатывает, дальше отправлять JPEG с расширением .jpg.</translation>
    </message>
    <message>
        <source>Generic (original or PNG)</source>
        <translation>Обычный (оригинал или PNG)</translation>
    </message>
    <message>
        <source>Send the original JPEG or PNG, or an 8-bit PNG of the pixels; the service answers a mask, a 5-class mask or an annotated picture.</source>
        <translation>Отправлять исходный JPEG или PNG либо 8-битный PNG из пикселей; сервис отвечает маской, 5-классовой маской или размеченным изображением.</translation>
    </message>
    <message>
        <source>Oil Spill AI service (JPEG named .jpg)</source>
        <translation>Сервис Oil Spill AI (JPEG с расширением .jpg)</translation>
    </message>
    <message>
        <source>The Oil Spill AI ML service reads only JPEG named .jpg and answers annotated pictures; masks are derived from them.</source>
        <translation>ML-сервис Oil Spill AI читает только JPEG с расширением .jpg и отвечает размеченными изображениями; маски выделяются из них.</translation>
    </message>
    <message>
        <source>connect</source>
        <translation>подключение</translation>
    </message>
    <message>
        <source>answer</source>
        <translation>ответ</translation>
    </message>
    <message>
        <source>Timeouts:</source>
        <translation>Тайм-ауты:</translation>
    </message>
    <message>
        <source>Extra attempts for an image when the service fails or is busy.</source>
        <translation>Дополнительные попытки для снимка, если сервис дал сбой или занят.</translation>
    </message>
    <message>
        <source>Retries per image:</source>
        <translation>Повторов на снимок:</translation>
    </message>
    <message>
        <source> s</source>
        <translation> с</translation>
    </message>
    <message>
        <source>Verify the server&apos;s TLS certificate</source>
        <translation>Проверять TLS-сертификат сервера</translation>
    </message>
    <message>
        <source>system certificates</source>
        <translation>системные сертификаты</translation>
    </message>
    <message>
        <source>Choose a CA bundle file</source>
        <translation>Выбрать файл сертификатов ЦС</translation>
    </message>
    <message>
        <source>CA bundle:</source>
        <translation>Сертификаты ЦС:</translation>
    </message>
    <message>
        <source>Choose a CA bundle</source>
        <translation>Выбор сертификатов ЦС</translation>
    </message>
    <message>
        <source>Certificates (*.pem *.crt *.cer);;All files (*)</source>
        <translation>Сертификаты (*.pem *.crt *.cer);;Все файлы (*)</translation>
    </message>
</context>
<context>
    <name>SettingsController</name>
    <message>
        <source>Settings saved. They apply to jobs queued from now on.</source>
        <translation>Настройки сохранены. Они действуют для заданий, поставленных в очередь с этого момента.</translation>
    </message>
    <message>
        <source>Settings saved. The new language applies when the app restarts.</source>
        <translation>Настройки сохранены. Новый язык начнёт действовать после перезапуска программы.</translation>
    </message>
    <message>
        <source>The settings could not be saved: {reason}</source>
        <translation>Не удалось сохранить настройки: {reason}</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>Настройки</translation>
    </message>
    <message>
        <source>Engine</source>
        <translation>Движок</translation>
    </message>
    <message>
        <source>Processing</source>
        <translation>Обработка</translation>
    </message>
    <message>
        <source>General</source>
        <translation>Общие</translation>
    </message>
    <message>
        <source>Restore defaults</source>
        <translation>Восстановить значения по умолчанию</translation>
    </message>
    <message>
        <source>Put every setting in this dialog back to its default, including the engine and the service address? Nothing is saved until you press OK.</source>
        <translation>Вернуть все настройки в этом окне к значениям по умолчанию, включая движок и адрес сервиса? Ничего не сохранится, пока вы не нажмёте «OK».</translation>
    </message>
    <message>
        <source>Choose a folder for the results</source>
        <translation>Выберите папку для результатов</translation>
    </message>
</context>
<context>
    <name>ShutdownGuard</name>
    <message>
        <source>Stop the jobs?</source>
        <translation>Остановить задания?</translation>
    </message>
    <message numerus="yes">
        <source>%n job(s) have not finished. Stop them and quit?

Images already processed are kept: open the same archives again to carry on where they stopped.</source>
        <translation>
            <numerusform>%n задание не завершено. Остановить его и выйти?

Уже обработанные снимки сохраняются: откройте те же архивы снова, чтобы продолжить с места остановки.</numerusform>
            <numerusform>%n задания не завершены. Остановить их и выйти?

Уже обработанные снимки сохраняются: откройте те же архивы снова, чтобы продолжить с места остановки.</numerusform>
            <numerusform>%n заданий не завершены. Остановить их и выйти?

Уже обработанные снимки сохраняются: откройте те же архивы снова, чтобы продолжить с места остановки.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>StatusLine</name>
    <message>
        <source>Zoom {zoom} %</source>
        <translation>Масштаб {zoom} %</translation>
    </message>
    <message>
        <source>shown at 1:{factor}</source>
        <translation>показано 1:{factor}</translation>
    </message>
    <message>
        <source>value {v}</source>
        <translation>значение {v}</translation>
    </message>
    <message>
        <source>value {r}, {g}, {b}</source>
        <translation>значение {r}, {g}, {b}</translation>
    </message>
</context>
<context>
    <name>ViewerActions</name>
    <message>
        <source>&amp;Open results…</source>
        <translation>&amp;Открыть результаты…</translation>
    </message>
    <message>
        <source>&amp;Locate input…</source>
        <translation>&amp;Найти исходный архив…</translation>
    </message>
    <message>
        <source>&amp;Export picture as PNG…</source>
        <translation>&amp;Экспорт картинки в PNG…</translation>
    </message>
    <message>
        <source>Export &amp;report…</source>
        <translation>Экспорт &amp;отчёта…</translation>
    </message>
    <message>
        <source>&amp;Copy picture</source>
        <translation>&amp;Копировать картинку</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Закрыть</translation>
    </message>
    <message>
        <source>&amp;Side by side</source>
        <translation>&amp;Рядом</translation>
    </message>
    <message>
        <source>Next &amp;view (one at a time)</source>
        <translation>Следующий &amp;вид (по одному)</translation>
    </message>
    <message>
        <source>Zoom &amp;in</source>
        <translation>&amp;Увеличить</translation>
    </message>
    <message>
        <source>Zoom &amp;out</source>
        <translation>У&amp;меньшить</translation>
    </message>
    <message>
        <source>&amp;Fit to window</source>
        <translation>&amp;По размеру окна</translation>
    </message>
    <message>
        <source>&amp;Actual size (1:1)</source>
        <translation>&amp;Исходный размер (1:1)</translation>
    </message>
    <message>
        <source>F&amp;ull screen</source>
        <translation>Во весь &amp;экран</translation>
    </message>
    <message>
        <source>Leave full screen</source>
        <translation>Выйти из полноэкранного режима</translation>
    </message>
    <message>
        <source>&amp;Next image</source>
        <translation>&amp;Следующий снимок</translation>
    </message>
    <message>
        <source>&amp;Previous image</source>
        <translation>&amp;Предыдущий снимок</translation>
    </message>
    <message>
        <source>&amp;First image</source>
        <translation>П&amp;ервый снимок</translation>
    </message>
    <message>
        <source>&amp;Last image</source>
        <translation>П&amp;оследний снимок</translation>
    </message>
    <message>
        <source>&amp;Confirmed oil</source>
        <translation>&amp;Нефть подтверждена</translation>
    </message>
    <message>
        <source>&amp;Look-alike</source>
        <translation>&amp;Ложный разлив</translation>
    </message>
    <message>
        <source>&amp;Unsure</source>
        <translation>&amp;Не ясно</translation>
    </message>
    <message>
        <source>&amp;Take the verdict back</source>
        <translation>&amp;Отменить заключение</translation>
    </message>
    <message>
        <source>&amp;Note…</source>
        <translation>&amp;Примечание…</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Файл</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Вид</translation>
    </message>
    <message>
        <source>&amp;Review</source>
        <translation>&amp;Проверка</translation>
    </message>
    <message>
        <source>&amp;Go</source>
        <translation>П&amp;ереход</translation>
    </message>
</context>
<context>
    <name>ViewerWindow</name>
    <message>
        <source>Mask viewer</source>
        <translation>Просмотр масок</translation>
    </message>
    <message>
        <source>Open a results zip with File → Open results…</source>
        <translation>Откройте архив результатов командой Файл → Открыть результаты…</translation>
    </message>
    <message>
        <source>Could not open {name}.</source>
        <translation>Не удалось открыть {name}.</translation>
    </message>
    <message>
        <source>{name} — Mask viewer</source>
        <translation>{name} — Просмотр масок</translation>
    </message>
    <message>
        <source>Looking for the original images…</source>
        <translation>Поиск оригинальных снимков…</translation>
    </message>
    <message>
        <source>Waiting for the first images to finish…</source>
        <translation>Ожидание первых обработанных снимков…</translation>
    </message>
    <message>
        <source>Opening the input archive…</source>
        <translation>Открывается исходный архив…</translation>
    </message>
    <message>
        <source>waiting to start</source>
        <translation>ожидает запуска</translation>
    </message>
    <message>
        <source>reading the archive</source>
        <translation>чтение архива</translation>
    </message>
    <message>
        <source>running</source>
        <translation>выполняется</translation>
    </message>
    <message>
        <source>paused</source>
        <translation>приостановлено</translation>
    </message>
    <message>
        <source>writing the results</source>
        <translation>запись результатов</translation>
    </message>
    <message>
        <source>done</source>
        <translation>готово</translation>
    </message>
    <message>
        <source>done, some images failed</source>
        <translation>готово, часть снимков с ошибками</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>ошибка</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>отменено</translation>
    </message>
    <message>
        <source>Following {name}: {state}.</source>
        <translation>Отслеживается {name}: {state}.</translation>
    </message>
    <message>
        <source>The job is over; results saved to {path}.</source>
        <translation>Задание завершено; результаты сохранены в {path}.</translation>
    </message>
    <message>
        <source>The job is over; no results file was written.</source>
        <translation>Задание завершено; файл результатов не записан.</translation>
    </message>
    <message>
        <source>These results hold no images.</source>
        <translation>В этих результатах нет снимков.</translation>
    </message>
    <message>
        <source>No image matches this filter.</source>
        <translation>Нет снимков, подходящих под этот фильтр.</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Загрузка…</translation>
    </message>
    <message numerus="yes">
        <source>{shown} of %Ln image(s) · {oil} with oil · {failed} failed</source>
        <translation>
            <numerusform>{shown} из %Ln снимка · с нефтью {oil} · с ошибкой {failed}</numerusform>
            <numerusform>{shown} из %Ln снимков · с нефтью {oil} · с ошибкой {failed}</numerusform>
            <numerusform>{shown} из %Ln снимков · с нефтью {oil} · с ошибкой {failed}</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source> · %Ln other file(s) skipped</source>
        <translation>
            <numerusform> · пропущен %Ln другой файл</numerusform>
            <numerusform> · пропущено %Ln других файла</numerusform>
            <numerusform> · пропущено %Ln других файлов</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source> · %Ln unreadable report row(s)</source>
        <translation>
            <numerusform> · %Ln нечитаемая строка отчёта</numerusform>
            <numerusform> · %Ln нечитаемые строки отчёта</numerusform>
            <numerusform> · %Ln нечитаемых строк отчёта</numerusform>
        </translation>
    </message>
    <message>
        <source>Open results</source>
        <translation>Открыть результаты</translation>
    </message>
    <message>
        <source>Results zip (*.zip);;All files (*)</source>
        <translation>Архив результатов (*.zip);;Все файлы (*)</translation>
    </message>
    <message>
        <source>Locate the input archive {name}</source>
        <translation>Укажите исходный архив {name}</translation>
    </message>
    <message>
        <source>Zip archives (*.zip);;All files (*)</source>
        <translation>Zip-архивы (*.zip);;Все файлы (*)</translation>
    </message>
</context>
<context>
    <name>ViewsPanel</name>
    <message>
        <source>Original</source>
        <translation>Оригинал</translation>
    </message>
    <message>
        <source>Mask</source>
        <translation>Маска</translation>
    </message>
    <message>
        <source>Overlay</source>
        <translation>Наложение</translation>
    </message>
    <message>
        <source>The original image is not available.</source>
        <translation>Оригинальный снимок недоступен.</translation>
    </message>
    <message>
        <source>There is no mask for this image.</source>
        <translation>Для этого снимка нет маски.</translation>
    </message>
    <message>
        <source>There is nothing to show for this image.</source>
        <translation>Для этого снимка нечего показать.</translation>
    </message>
</context>
<context>
    <name>WindowDialogs</name>
    <message>
        <source>The log folder is {path}</source>
        <translation>Папка журнала: {path}</translation>
    </message>
    <message>
        <source>The mask viewer is not available in this installation.</source>
        <translation>Просмотрщик масок недоступен в этой установке.</translation>
    </message>
    <message>
        <source>The mask viewer could not open: {reason}</source>
        <translation>Не удалось открыть просмотрщик масок: {reason}</translation>
    </message>
</context>
</TS>
