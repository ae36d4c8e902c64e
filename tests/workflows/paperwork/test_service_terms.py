"""A branch may write the acceptance form's terms for a service (revision 0015): the customer signs those, in the
language they chose; where the branch wrote none, the standard terms are printed."""

from __future__ import annotations

import pytest
from helpers.morning import act_at as act
from helpers.morning import seed_morning
from helpers.pdf_checks import squeezed, text_of
from sqlmodel import select

from counter_app.models import Service, ServiceOrder
from counter_app.workflows.paperwork import contents, issuing

TERMS_EN = ("The renewal cannot be cancelled once the new term has started.\n"
            "\n"
            "  Speeds are up to 100 Mbps and depend on the line.  \n"
            "Bring this form to any branch to change the business.")
TERMS_ZH = "续费生效后不可退订。\n实际网速受线路影响，最高100M。"


def broadband_terms(store, **terms) -> None:
    with store.write() as session:
        service = session.exec(select(Service).where(Service.code == "BB")).one()
        for name, text in terms.items():
            setattr(service, name, text)
        session.add(service)


def form_data(store, clock, order_id: int):
    with store.read() as session:
        return contents.acceptance_form(session, session.get(ServiceOrder, order_id), reference="ACC-X",
                                        now=clock.now())


def test_the_customer_signs_the_terms_the_branch_wrote_for_the_service(hall, clock):
    broadband_terms(hall, terms_en=TERMS_EN, terms_zh=TERMS_ZH)
    morning = seed_morning(hall, clock, language="en")

    # one term a line, without the blank lines and the spaces around them
    assert form_data(hall, clock, morning["order_id"]).terms == (
        "The renewal cannot be cancelled once the new term has started.",
        "Speeds are up to 100 Mbps and depend on the line.",
        "Bring this form to any branch to change the business.")
    form = act(hall, clock, "09:31", issuing.issue_acceptance_form, order_id=morning["order_id"],
               staff_id=morning["trainee"])
    text = text_of(form.path.read_bytes())
    assert "1. The renewal cannot be cancelled once the new term has started." in text
    assert "2. Speeds are up to 100 Mbps and depend on the line." in text
    assert "3. Bring this form to any branch to change the business." in text
    assert "Please check the summary" not in text  # the standard terms give way to the service's own
    assert "续费生效后不可退订" not in squeezed(form.path.read_bytes())


def test_a_chinese_customer_gets_the_chinese_terms(hall, clock):
    broadband_terms(hall, terms_en=TERMS_EN, terms_zh=TERMS_ZH)
    morning = seed_morning(hall, clock, language="zh_CN")

    assert form_data(hall, clock, morning["order_id"]).terms == ("续费生效后不可退订。", "实际网速受线路影响，最高100M。")
    form = act(hall, clock, "09:31", issuing.issue_acceptance_form, order_id=morning["order_id"],
               staff_id=morning["trainee"])
    text = squeezed(form.path.read_bytes())
    assert "1.续费生效后不可退订。" in text and "2.实际网速受线路影响，最高100M。" in text
    assert "renewal cannot be cancelled" not in text


@pytest.mark.parametrize("terms", [{}, {"terms_zh": TERMS_ZH}, {"terms_en": " \n \n"}],
                         ids=["none", "chinese-only", "blank"])
def test_without_terms_in_the_customers_language_the_standard_terms_are_printed(hall, clock, terms):
    broadband_terms(hall, **terms)
    morning = seed_morning(hall, clock, language="en")

    assert form_data(hall, clock, morning["order_id"]).terms == ()
    form = act(hall, clock, "09:31", issuing.issue_acceptance_form, order_id=morning["order_id"],
               staff_id=morning["trainee"])
    text = text_of(form.path.read_bytes())
    assert "1. Please check the summary, the amounts and the dates on this form before you sign." in text


def test_a_reprint_prints_the_terms_the_customer_signed_even_after_the_branch_changed_them(hall, clock):
    broadband_terms(hall, terms_en=TERMS_EN)
    morning = seed_morning(hall, clock, language="en")
    form = act(hall, clock, "09:31", issuing.issue_acceptance_form, order_id=morning["order_id"],
               staff_id=morning["trainee"])
    broadband_terms(hall, terms_en="A newer term.")

    copy = act(hall, clock, "09:40", issuing.reprint, document_id=form.document_id, staff_id=morning["trainee"])
    text = text_of(copy.path.read_bytes())
    assert "The renewal cannot be cancelled once the new term has started." in text and "A newer term." not in text
