"""What looks at an image: the engine protocol and the three engines behind it.

An engine turns one image into an answer picture (:mod:`.protocol`); :mod:`.factory`
builds the one the settings ask for. :mod:`.classical` is the numpy dark-spot detector,
:mod:`.model_engine` runs an ONNX model (with :mod:`.model_spec`, :mod:`.tiling` and
:mod:`.multilook`), :mod:`.http_engine` calls an ML endpoint (with its helpers:
:mod:`.multipart`, :mod:`.circuit`, :mod:`.upload`, :mod:`.urls`, :mod:`.abortable`).
What an answer means (a mask, a class map, an annotated picture) is decided once for all
engines in :mod:`.answers` and :mod:`.annotated`. Separate because nothing else in the
core may know which engine ran.
"""
