"""The counter window (窗口) of a clerk: open/pause/close, call next, recall, no-show, start, finish,
transfer, park and resume (`window.CounterWindow`); the customer, waiting and parked lists (`panels`);
the live timer, prompt to explain, help and breach cause (`oversight`); the business entry, acceptance
form and apology notice (`paperwork`, `service_order`); the counter's dialogs (`dialogs`)."""
