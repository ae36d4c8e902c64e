"""A queue ticket straight to an ESC/POS thermal printer (python-escpos): its facts as text and a QR code.

The "ticket_printer" setting chooses the connection:
    escpos:usb:VID:PID            e.g. escpos:usb:0x0416:0x5011
    escpos:network:HOST[:PORT]    e.g. escpos:network:192.168.1.50 (port 9100)
    escpos:file:DEVICE            e.g. escpos:file:/dev/usb/lp0

Chinese is sent as GB18030 in the printer's Chinese character mode (FS &), which the thermal
printers sold in China understand; ASCII goes through python-escpos as usual.

A printer that takes the data but cannot print (out of paper, cover open, jammed) would otherwise be
recorded as printed. Where the connection can answer (USB, network), the printer is asked for its status
(DLE EOT, real-time) before and after the ticket: offline or out of paper is a PrintError, and the kiosk
keeps the number for a reprint. A printer that does not answer within a second (some do not implement the
query) or a connection that cannot read (a device file) prints as before: its status is unknown.
"""

from __future__ import annotations

import logging
import socket
from dataclasses import dataclass

from counter_app.errors import PrintError
from counter_app.i18n import N_, translate
from counter_app.workflows.paperwork.render.data import QueueTicketData
from counter_app.workflows.paperwork.render.layout import fmt_datetime, fmt_time
from counter_app.workflows.paperwork.render.ticket import people_ahead_text

NETWORK_PORT = 9100
NETWORK_TIMEOUT = 5  # seconds: a printer that does not answer must not hold the ticket up for a minute
ROLL_DOTS = 576  # an 80 mm roll at 203 dpi: the printable width most thermal printers have
CHINESE_MODE_ON = b"\x1c\x26"  # FS &
CHINESE_MODE_OFF = b"\x1c\x2e"  # FS .
STATUS_WAIT = 1.0  # seconds a printer has to answer a status query before its status counts as unknown
DLE_EOT_PRINTER = b"\x10\x04\x01"  # the printer's status: bit 3 set = offline (cover open, paper out, error)
DLE_EOT_PAPER = b"\x10\x04\x04"  # the roll sensor: bits 2-3 = paper near its end, bits 5-6 = no paper
OFFLINE_BIT = 0x08
PAPER_NEAR_END_BITS = 0x0C
PAPER_OUT_BITS = 0x60

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class EscposTarget:
    connection: str  # usb / network / file
    vendor_id: int = 0
    product_id: int = 0
    host: str = ""
    port: int = NETWORK_PORT
    device: str = ""


def parse_target(setting: str) -> EscposTarget:
    """Read "escpos:usb:VID:PID", "escpos:network:HOST[:PORT]" or "escpos:file:DEVICE"."""
    parts = setting.strip().split(":", 2)
    if len(parts) == 3 and parts[0] == "escpos":
        connection, rest = parts[1], parts[2]
        try:
            if connection == "usb":
                vendor, product = rest.split(":")
                return EscposTarget("usb", vendor_id=int(vendor, 16), product_id=int(product, 16))
            if connection == "network" and rest:
                host, _sep, port = rest.rpartition(":") if rest.count(":") == 1 else (rest, "", "")
                return EscposTarget("network", host=host or rest, port=int(port) if port else NETWORK_PORT)
            if connection == "file" and rest:
                return EscposTarget("file", device=rest)
        except ValueError:
            pass
    raise PrintError(N_("The ticket printer setting {value} is not one this app knows."), value=setting)


def open_printer(target: EscposTarget):
    """The python-escpos printer for a target; it connects on first use."""
    from escpos import printer

    if target.connection == "usb":
        return printer.Usb(target.vendor_id, target.product_id, timeout=NETWORK_TIMEOUT * 1000)
    if target.connection == "network":
        return printer.Network(target.host, port=target.port, timeout=NETWORK_TIMEOUT)
    return printer.File(target.device)


def _know_roll_width(printer) -> None:
    """The default profile leaves the paper width unknown, and then a QR code cannot be centred."""
    profile = printer.profile
    media = dict(profile.profile_data.get("media", {}))
    width = dict(media.get("width", {}))
    if width.get("pixels") in (None, "Unknown"):
        media["width"] = width | {"pixels": ROLL_DOTS}
        profile.profile_data = profile.profile_data | {"media": media}  # this printer's copy, not the class's


def _text(printer, text: str) -> None:
    if text.isascii():
        printer.text(text)
    else:
        printer._raw(CHINESE_MODE_ON + text.encode("gb18030", errors="replace") + CHINESE_MODE_OFF)


def write_ticket(printer, data: QueueTicketData, *, language: str) -> None:
    """The ticket's facts in the customer's language, the number four times the normal size."""
    def line(text: str = "", **style) -> None:
        if style:
            printer.set(**style)
        _text(printer, text + "\n")

    _know_roll_width(printer)
    printer.hw("INIT")
    if data.reprint:
        line(translate("REPRINT", language), align="center", bold=True)
    line(data.branch_name, align="center", bold=False, normal_textsize=True)
    line(translate("Queue ticket", language))
    line(data.number, bold=True, custom_size=True, width=4, height=4)
    line(data.service_name, bold=True, double_width=True, double_height=True)
    line("-" * 32, normal_textsize=True, bold=False)
    line(people_ahead_text(data.people_ahead, language))
    line(translate("Estimated wait: about {minutes} minutes", language).format(minutes=data.estimated_wait_minutes))
    if data.opens_at is not None:
        line(translate("We are not serving yet.", language), bold=True)
        line(translate("Serving starts at {time}.", language).format(time=fmt_time(data.opens_at)), bold=False)
        if data.estimated_call_at is not None:
            line(translate("Estimated call time: {time}", language).format(time=fmt_time(data.estimated_call_at)))
    line("-" * 32)
    printer.qr(data.reference, size=6, center=True)
    line(data.reference, align="center")
    line(translate("Issued {time}", language).format(time=fmt_datetime(data.issued_at)))
    line(translate("Please listen for your number and watch the screen.", language))
    printer.cut()


def _answer(device, query: bytes) -> bytes:
    """The printer's one-byte answer to a real-time status query; b"" when it cannot or does not answer."""
    sock = getattr(device, "device", None)  # the connection, opened now if it was not yet
    timeout = sock.gettimeout() if isinstance(sock, socket.socket) else None
    try:
        if isinstance(sock, socket.socket):
            sock.settimeout(STATUS_WAIT)
        return bytes(device.query_status(query) or b"")[:1]
    except (NotImplementedError, AttributeError, OSError, ValueError):
        return b""  # a device file cannot read, a printer that keeps quiet: unknown
    except Exception as exc:  # noqa: BLE001 - the USB library's own timeout error, whatever its class
        log.info("the printer did not answer its status: %s", exc)
        return b""
    finally:
        if isinstance(sock, socket.socket):
            sock.settimeout(timeout)


def _can_read(device) -> bool:
    """A connection that reads answers (USB, network); a device file only writes: no query is sent to it."""
    from escpos.escpos import Escpos

    return getattr(type(device), "_read", Escpos._read) is not Escpos._read


def printer_status(device) -> str | None:
    """"ready", "paper_low", "paper_out" or "offline"; None when the printer cannot say."""
    if not _can_read(device):
        return None
    printer = _answer(device, DLE_EOT_PRINTER)
    if not printer:
        return None
    if printer[0] & OFFLINE_BIT:
        paper = _answer(device, DLE_EOT_PAPER)
        return "paper_out" if paper and paper[0] & PAPER_OUT_BITS else "offline"
    paper = _answer(device, DLE_EOT_PAPER)
    if paper and paper[0] & PAPER_OUT_BITS:
        return "paper_out"
    if paper and paper[0] & PAPER_NEAR_END_BITS:
        return "paper_low"
    return "ready"


STATUS_TEXT = {
    "paper_out": N_("The ticket printer {printer} is out of paper: no ticket was printed."),
    "offline": N_("The ticket printer {printer} is not ready (cover open, paper jam or error): no ticket was "
                  "printed."),
}
STATUS_AFTER_TEXT = {
    "paper_out": N_("The ticket printer {printer} ran out of paper while printing: the ticket may be missing."),
    "offline": N_("The ticket printer {printer} stopped while printing (cover open, paper jam or error): the "
                  "ticket may be missing."),
}


def print_ticket(setting: str, data: QueueTicketData, *, language: str, printer=None) -> None:
    """Print one ticket; any failure of the connection or the printer becomes a PrintError, and so does a
    printer that says, before or after, that it cannot print."""
    from escpos import exceptions

    target = parse_target(setting)
    try:
        device = printer if printer is not None else open_printer(target)
        try:
            before = printer_status(device)
            if before in STATUS_TEXT:
                raise PrintError(STATUS_TEXT[before], printer=setting)
            write_ticket(device, data, language=language)
            after = printer_status(device)
            if after in STATUS_AFTER_TEXT:
                raise PrintError(STATUS_AFTER_TEXT[after], printer=setting)
            if "paper_low" in (before, after):
                log.warning("the ticket printer %s is near the end of its paper roll", setting)
        finally:
            device.close()
    except (exceptions.Error, OSError, RuntimeError, ValueError) as exc:
        raise PrintError(N_("The ticket printer {printer} did not print: {detail}"), printer=setting,
                         detail=str(exc).strip() or type(exc).__name__) from exc
