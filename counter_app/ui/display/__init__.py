"""The queue display (叫号屏): now calling per counter, recently called, waiting and estimated wait per
service (`window.DisplayWindow`, its parts in `board`), and the spoken call or chime (`voice`)."""
