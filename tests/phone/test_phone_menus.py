"""Reading IVR menus and telling a recording from a person, by wording alone."""

from __future__ import annotations

import pytest

from shopper.channels.phone.menus import (Option, best_option, menu_signature,
                                          operator_option, parse_menu)
from shopper.channels.phone.roles import RoleJudge, introduction

LAB_MENU = ("Thank you for calling Brightside Home. For orders, press 1. For returns, press 2. "
            "For billing, press 3. To speak to an operator, press 0. You can also say orders, "
            "returns, billing or operator.")


def keyed(options: list[Option]) -> dict[str, str]:
    return {o.key: o.label for o in options if o.key}


def test_for_x_press_n():
    options = parse_menu(LAB_MENU)
    assert keyed(options) == {"1": "orders", "2": "returns", "3": "billing",
                              "0": "speak to an operator"}
    assert [o.phrase for o in options if o.phrase] == ["orders", "returns", "billing",
                                                       "operator"]


@pytest.mark.parametrize("prompt, expected", [
    ("Press 2 for returns, press 3 to pay a bill. Press one for orders.",
     {"2": "returns", "3": "pay a bill", "1": "orders"}),
    ("For orders, press 1, for returns press 2", {"1": "orders", "2": "returns"}),
    ("Sales, press 1; support, press two.", {"1": "Sales", "2": "support"}),
    ("If you'd like to check a delivery, press star.", {"*": "check a delivery"}),
    ("Returns. You are now in the queue. Please stay on the line.", {}),
])
def test_menu_wordings(prompt, expected):
    assert keyed(parse_menu(prompt)) == expected


@pytest.mark.parametrize("goal, key", [
    ("returns", "2"), ("I want to return a blender", "2"), ("refund", "2"),
    ("track my order", "1"), ("a charge on my card", "3"), ("speak to a person", "0"),
    ("warranty claim", None),
])
def test_best_option_for_a_goal(goal, key):
    option, _ = best_option(parse_menu(LAB_MENU), [goal])
    assert (option.key if option else None) == key


def test_operator_fallback_and_menu_signature():
    options = parse_menu(LAB_MENU)
    assert operator_option(options).key == "0"
    assert operator_option(parse_menu("For sales press 1. For support press 2.")) is None
    assert menu_signature(LAB_MENU) == menu_signature("Returning to the main menu. " + LAB_MENU)


def test_roles_follow_the_call():
    judge = RoleJudge()
    assert judge.judge(LAB_MENU).role == "ivr"
    assert judge.judge("Please hold while I connect you to an orders specialist.").role == "ivr"
    maria = judge.judge("Hi, this is Maria in orders. How can I help you today?")
    assert (maria.role, maria.name, maria.dept) == ("agent", "Maria", "orders")
    assert judge.judge("Thanks. I see order A10024.").name == "Maria"
    assert judge.judge("Your call is important to us. Please continue to hold.").role == "ivr"
    assert judge.judge("Can I have your order number, please?").role == "agent"


def test_introductions():
    assert introduction("Hi, this is Diego in returns, how can I help?") == ("Diego", "returns")
    assert introduction("My name is Sam.") == ("Sam", "")
    assert introduction("Thank you for calling Brightside Home.") is None


@pytest.mark.parametrize("prompt, expected", [
    ("To call the sales line, press 2. To go back to the main menu, press the star key.",
     {"2": "call the sales line", "*": "go back to the main menu"}),
    ("Press 1 if you are a new customer. Press pound to repeat.",
     {"1": "you are a new customer", "#": "repeat"}),
    ("Opening hours, press 9.", {"9": "Opening hours"}),
    ("For directions press one. For anything else, press the hash key.",
     {"1": "directions", "#": "anything else"}),
])
def test_more_menu_wordings(prompt, expected):
    assert keyed(parse_menu(prompt)) == expected


def test_the_more_specific_option_wins_and_the_decision_is_explained():
    from shopper.channels.phone.menus import choose
    options = parse_menu("To reach our sales line or the service desk, press 2. "
                         "To call the service desk, press 3.")
    made = choose(options, ["service desk"])
    assert made.option.key == "3" and not made.tie
    assert made.runner_up.key == "2"


def test_a_keyword_naming_one_option_decides_and_a_real_tie_is_reported():
    from shopper.channels.phone.menus import choose
    options = parse_menu("For home insurance, press 1. For car insurance, press 2.")
    assert choose(options, ["insurance", "car"]).option.key == "2"
    made = choose(options, ["insurance"])
    assert made.tie and made.confidence == 0.0  # the order decided: said, not hidden


def test_say_options_of_the_same_thing_are_no_tie():
    from shopper.channels.phone.menus import choose
    made = choose(parse_menu(LAB_MENU), ["returns"])
    assert made.option.key == "2" and not made.tie and made.confidence > 0


def test_a_bare_hello_is_a_person_but_a_recorded_welcome_is_not():
    judge = RoleJudge()
    assert judge.judge("Hello, and thank you for calling Orbit Mobile.").role == "ivr"
    assert judge.judge("Okay, technical support. Transferring you to a technician now.").role == "ivr"
    assert judge.judge("Hello? Tech support.").role == "agent"
