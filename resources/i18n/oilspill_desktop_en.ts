<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
<context>
    <name>CoreMessages</name>
    <message numerus="yes">
        <source>The engine could not be reached: {detail}; no request was ever answered, so the job stopped after %n attempt(s).</source>
        <translation>
            <numerusform>The engine could not be reached: {detail}; no request was ever answered, so the job stopped after %n attempt.</numerusform>
            <numerusform>The engine could not be reached: {detail}; no request was ever answered, so the job stopped after %n attempts.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>{name} holds no images (.jpg .jpeg .png .bmp .tif .tiff); its %n other file(s) are listed as skipped.</source>
        <translation>
            <numerusform>{name} holds no images (.jpg .jpeg .png .bmp .tif .tiff); its one other file is listed as skipped.</numerusform>
            <numerusform>{name} holds no images (.jpg .jpeg .png .bmp .tif .tiff); its %n other files are listed as skipped.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The image has %n ground control point(s); at least 3 are needed to place it.</source>
        <translation>
            <numerusform>The image has %n ground control point; at least 3 are needed to place it.</numerusform>
            <numerusform>The image has %n ground control points; at least 3 are needed to place it.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The %n finished image(s) are kept; run the job again to resume.</source>
        <translation>
            <numerusform>The finished image is kept; run the job again to resume.</numerusform>
            <numerusform>The %n finished images are kept; run the job again to resume.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Partial results: %n finished image(s) saved; {missing} of {total} were not processed (run the job again to do them).</source>
        <translation>
            <numerusform>Partial results: the finished image is saved; {missing} of {total} were not processed (run the job again to do them).</numerusform>
            <numerusform>Partial results: the %n finished images are saved; {missing} of {total} were not processed (run the job again to do them).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The TIFF holds %n page(s); only the first is used.</source>
        <translation>
            <numerusform>The TIFF holds %n page; only the first is used.</numerusform>
            <numerusform>The TIFF holds %n pages; only the first is used.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The {width}x{height} scene was segmented in %n window(s).</source>
        <translation>
            <numerusform>The {width}x{height} scene was segmented in %n window.</numerusform>
            <numerusform>The {width}x{height} scene was segmented in %n windows.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The {width}x{height} scene was segmented in %n window(s); its overlay and thumbnail are made from a copy reduced {factor}x{factor}.</source>
        <translation>
            <numerusform>The {width}x{height} scene was segmented in %n window; its overlay and thumbnail are made from a copy reduced {factor}x{factor}.</numerusform>
            <numerusform>The {width}x{height} scene was segmented in %n windows; its overlay and thumbnail are made from a copy reduced {factor}x{factor}.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The {width}x{height} scene was segmented in %n window(s); its overlay, thumbnail, slicks and areas are made from a copy reduced {factor}x{factor}.</source>
        <translation>
            <numerusform>The {width}x{height} scene was segmented in %n window; its overlay, thumbnail, slicks and areas are made from a copy reduced {factor}x{factor}.</numerusform>
            <numerusform>The {width}x{height} scene was segmented in %n windows; its overlay, thumbnail, slicks and areas are made from a copy reduced {factor}x{factor}.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>GeoPanel</name>
    <message numerus="yes">
        <source>%n slick(s)</source>
        <translation>
            <numerusform>%n slick</numerusform>
            <numerusform>%n slicks</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>and %n more</source>
        <translation>
            <numerusform>and %n more</numerusform>
            <numerusform>and %n more</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>GeoView</name>
    <message numerus="yes">
        <source>%n slick(s) exported to {path}</source>
        <translation>
            <numerusform>%n slick exported to {path}</numerusform>
            <numerusform>%n slicks exported to {path}</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>IntakeController</name>
    <message numerus="yes">
        <source>%n item(s) could not be used; see the log.</source>
        <translation>
            <numerusform>%n item could not be used; see the log.</numerusform>
            <numerusform>%n items could not be used; see the log.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ProgressPresenter</name>
    <message numerus="yes">
        <source>%Ln job(s)</source>
        <translation>
            <numerusform>%Ln job</numerusform>
            <numerusform>%Ln jobs</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>{done} of %Ln image(s)</source>
        <translation>
            <numerusform>{done} of %Ln image</numerusform>
            <numerusform>{done} of %Ln images</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>{name}: all %Ln image(s) done.</source>
        <translation>
            <numerusform>{name}: %Ln image done.</numerusform>
            <numerusform>{name}: all %Ln images done.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>{name}: %Ln image(s) done, {failed} failed.</source>
        <translation>
            <numerusform>{name}: %Ln image done, {failed} failed.</numerusform>
            <numerusform>{name}: %Ln images done, {failed} failed.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Oil in %Ln image(s).</source>
        <translation>
            <numerusform>Oil in %Ln image.</numerusform>
            <numerusform>Oil in %Ln images.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>QueueModel</name>
    <message numerus="yes">
        <source>Save results of the %n image(s) done</source>
        <translation>
            <numerusform>Save results of the %n image done</numerusform>
            <numerusform>Save results of the %n images done</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln with oil</source>
        <comment>images in which oil was found</comment>
        <translation>
            <numerusform>%Ln with oil</numerusform>
            <numerusform>%Ln with oil</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Gathering {done} of %Ln image(s) into an archive</source>
        <translation>
            <numerusform>Gathering {done} of %Ln image into an archive</numerusform>
            <numerusform>Gathering {done} of %Ln images into an archive</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Resumed: %Ln image(s) were already done</source>
        <translation>
            <numerusform>Resumed: %Ln image was already done</numerusform>
            <numerusform>Resumed: %Ln images were already done</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>{ok} succeeded, {failed} failed, %Ln image(s) in the archive</source>
        <translation>
            <numerusform>{ok} succeeded, {failed} failed, %Ln image in the archive</numerusform>
            <numerusform>{ok} succeeded, {failed} failed, %Ln images in the archive</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ResumeController</name>
    <message numerus="yes">
        <source>%n interrupted job(s) can be resumed where they stopped ({names}; {done} images already done).</source>
        <translation>
            <numerusform>%n interrupted job can be resumed where it stopped ({names}; {done} images already done).</numerusform>
            <numerusform>%n interrupted jobs can be resumed where they stopped ({names}; {done} images already done).</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ShutdownGuard</name>
    <message numerus="yes">
        <source>%n job(s) have not finished. Stop them and quit?

Images already processed are kept: open the same archives again to carry on where they stopped.</source>
        <translation>
            <numerusform>%n job has not finished. Stop it and quit?

Images already processed are kept: open the same archives again to carry on where they stopped.</numerusform>
            <numerusform>%n jobs have not finished. Stop them and quit?

Images already processed are kept: open the same archives again to carry on where they stopped.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ViewerWindow</name>
    <message numerus="yes">
        <source>{shown} of %Ln image(s) · {oil} with oil · {failed} failed</source>
        <translation>
            <numerusform>{shown} of %Ln image · {oil} with oil · {failed} failed</numerusform>
            <numerusform>{shown} of %Ln images · {oil} with oil · {failed} failed</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source> · %Ln other file(s) skipped</source>
        <translation>
            <numerusform> · %Ln other file skipped</numerusform>
            <numerusform> · %Ln other files skipped</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source> · %Ln unreadable report row(s)</source>
        <translation>
            <numerusform> · %Ln unreadable report row</numerusform>
            <numerusform> · %Ln unreadable report rows</numerusform>
        </translation>
    </message>
</context>
</TS>
