"""The assistant in the chat widget, end to end over the real websocket: answers from
articles, files a request, looks up a status, gives office hours, hands over to a person or
takes a message after hours, in English and Spanish."""

from datetime import time

import pytest

from civicdesk.assistant.models import Turn
from civicdesk.cases.models import ServiceRequest
from civicdesk.catalog.models import BusinessHours
from civicdesk.conversations.models import Conversation, Message
from tests.conversations.conftest import online, start
from tests.factories import StaffFactory
from tests.helpers import submit

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("assistant_on")]


class Chat:
    def __init__(self, client, ws_socket, **start_args):
        self.started = start(client, **start_args)
        self.sock = ws_socket()
        self.sock.send(type="hello", conversation=self.started["conversation"],
                       token=self.started["token"], last_seq=0)
        assert self.sock.recv()["type"] == "welcome"
        self.n = 0

    @property
    def conversation(self) -> Conversation:
        return Conversation.objects.get(public_id=self.started["conversation"])

    def greeting(self) -> str:
        return self.sock.recv_until(lambda m: m.get("sender") == "assistant")["body"]

    def say(self, text: str) -> str:
        """Send, and return the assistant's answer (all its messages, joined)."""
        self.n += 1
        cid = f"c{self.n}"
        self.sock.send(type="message", body=text, client_id=cid)
        self.sock.recv_until(lambda m: m.get("client_id") == cid)
        return "\n".join(m["body"] for m in self.sock.drain() if m.get("sender") == "assistant")


def test_greets_and_answers_from_an_article_with_a_link(client, city, ws_socket):
    chat = Chat(client, ws_socket)
    assert chat.started["state"] == "assistant"
    assert "virtual assistant" in chat.greeting()
    answer = chat.say("When does the garbage truck come?")
    assert "Trash is collected once a week on your pickup day." in answer
    assert "http://testserver/help/trash-day/" in answer
    turn = Turn.objects.get(outcome="answered")
    assert turn.label == f"article:{city['trash'].pk}"


def test_reports_a_problem_step_by_step_and_gives_the_public_id(client, city, ws_socket):
    chat = Chat(client, ws_socket)
    chat.greeting()
    offer = chat.say("there is a huge pothole on my street")
    assert "Pothole" in offer and "yes or no" in offer
    assert "describe the problem" in chat.say("yes")
    assert "How big is it?" in chat.say("Deep hole in the right lane, cars swerve")
    again = chat.say("enormous")  # not an option: asked again, with the options
    assert "“enormous” is not one of the options." in again and "1. Small; 2. Large" in again
    assert "Where is it?" in chat.say("2")
    assert "street name" in chat.say("1")  # never taken as a place
    placed = chat.say("Main St and 3rd Ave")  # this city has no address list to match it to
    assert "could not match “Main St and 3rd Ave”" in placed and "email" in placed
    summary = chat.say("ana@example.org")
    assert "Where: Main St and 3rd Ave (as you wrote it; not found in the address list)" in summary
    assert not ServiceRequest.objects.exists()  # nothing is filed before a yes
    for line in ("Service: Pothole", "Where: Main St and 3rd Ave", "Problem: Deep hole in the right lane",
                 "How big is it? Large", "Updates by email to: ana@example.org", "Shall I file it? (yes or no)"):
        assert line in summary
    done = chat.say("yes")
    req = ServiceRequest.objects.get()
    assert f"Your request number is {req.public_id}" in done
    assert f"http://testserver/requests/{req.public_id}/" in done
    assert (req.service, req.answers, req.address, req.contact_email, req.channel) == (
        city["pothole"], {"size": "large"}, "Main St and 3rd Ave", "ana@example.org", "chat")
    assert req.description == "Deep hole in the right lane, cars swerve"
    assert chat.conversation.request == req  # linked both ways
    # the same last message again (a retry) does not file a second request
    assert chat.say("yes") is not None and ServiceRequest.objects.count() == 1


def test_a_wrong_answer_is_explained_and_asked_again(client, city, ws_socket):
    chat = Chat(client, ws_socket)
    chat.greeting()
    chat.say("pothole")
    chat.say("yes")
    chat.say("A hole")
    again = chat.say("gigantic")
    assert "“gigantic” is not one of the options. Please try again." in again
    assert "Where is it?" in chat.say("Large")
    cancelled = chat.say("cancel")
    assert "nothing was filed" in cancelled and not ServiceRequest.objects.exists()


def test_looks_up_a_request_by_its_number(client, city, ws_socket):
    req = submit(city["pothole"])
    chat = Chat(client, ws_socket)
    chat.greeting()
    answer = chat.say(f"What is happening with {req.public_id}?")
    assert f"Request {req.public_id} (Pothole) is submitted." in answer
    assert f"/requests/{req.public_id}/" in answer
    assert "What is the request number?" in chat.say("status of my request")
    assert "I cannot find request 2020-999999" in chat.say("2020-999999")


def test_gives_the_department_office_hours(client, city, ws_socket):
    chat = Chat(client, ws_socket)
    chat.greeting()
    answer = chat.say("what are your hours for pothole repairs")
    assert city["department"].name in answer and "Monday–Sunday 00:00–23:59" in answer
    assert "(555) 010-1100" in answer


def test_asking_for_a_person_hands_over_with_the_transcript_and_a_guess(
        client, city, ws_socket, agent_socket):
    agent = online(StaffFactory(role="agent", departments=[city["department"]]))
    chat = Chat(client, ws_socket)
    chat.greeting()
    chat.say("there is a pothole")
    chat.say("no")
    handed = chat.say("I want to talk to a person")
    assert "passing you to a person" in handed
    conv = chat.conversation
    assert (conv.state, conv.assigned_to, conv.department) == ("assigned", agent, city["department"])
    note = conv.messages.get(sender=Message.Sender.NOTE)
    assert "Best guess of the topic: Pothole" in note.body
    # the agent sees the whole conversation, the assistant's part included
    senders = list(conv.messages.values_list("sender", flat=True))
    assert senders.count("resident") == 3 and "assistant" in senders
    inbox = agent_socket(agent)
    inbox.send(type="join", conversation=conv.public_id, last_seq=0)
    bodies = [m.get("body") for m in inbox.drain()]
    assert "there is a pothole" in bodies and note.body in bodies
    # after the hand-off the assistant stays quiet
    chat.say("hello?")
    assert conv.messages.filter(sender="assistant").count() == senders.count("assistant")


def test_two_misses_hand_over(client, city, ws_socket):
    online(StaffFactory(role="agent", departments=[city["department"]]))
    chat = Chat(client, ws_socket)
    chat.greeting()
    first = chat.say("what is the airspeed velocity of an unladen swallow")
    assert "I can't help with that here" in first
    chat.say("quantum chromodynamics lecture notes")
    assert chat.conversation.state in ("waiting", "assigned")
    assert Turn.objects.filter(outcome="handoff").count() == 1


def test_after_hours_it_offers_to_take_a_message(client, city, ws_socket):
    city["department"].hours.all().delete()  # never open
    BusinessHours.objects.create(department=city["department"], weekday=0, opens=time(0), closes=time(0, 1))
    chat = Chat(client, ws_socket)
    chat.greeting()
    chat.sock.send(type="message", body="agent please", client_id="x")
    events = chat.sock.drain(quiet=1)
    state = next(e for e in events if e.get("type") == "state")
    # One rule: nobody can answer now, so the chat waits as a message, not in the queue too
    assert state["offer_message"] is True and state["state"] == "message"
    bodies = " ".join(e.get("body", "") for e in events)
    assert "Leave your email address and a message" in bodies and "in the queue" not in bodies
    assert Turn.objects.get(outcome="message")
    # an agent who comes online later is not handed a chat whose resident was told to write
    from civicdesk.conversations import services as conversations

    online(StaffFactory(role="agent", departments=[city["department"]]))
    assert conversations.auto_assign(city["department"]) == []
    assert chat.conversation.state == "message"


@pytest.mark.parametrize("agents_online", [0, 1])
def test_in_hours_the_hand_off_depends_on_an_agent_being_online(client, city, ws_socket, agents_online):
    """In hours with an agent online: the place in the queue and the expected wait, and the
    offer to leave a message instead. In hours with nobody online: a message, as after hours."""
    for _ in range(agents_online):  # online, but busy with as many chats as they take
        agent = online(StaffFactory(role="agent", departments=[city["department"]]), capacity=1)
        Conversation.objects.create(department=city["department"], state="assigned", assigned_to=agent)
    chat = Chat(client, ws_socket)
    chat.greeting()
    chat.say("there is a pothole")  # the topic: the public works queue
    chat.say("no")
    chat.sock.send(type="message", body="agent please", client_id="y")
    events = chat.sock.drain(quiet=1)
    state = next(e for e in events if e.get("type") == "state")
    bodies = " ".join(e.get("body", "") for e in events)
    assert state["offer_message"] is True
    if agents_online:
        assert state["state"] == "waiting" and chat.conversation.state == "waiting"
        assert "You are number 1 in the queue; the expected wait is about" in bodies
        assert "leave a message" in bodies
    else:
        assert state["state"] == "message" and "in the queue" not in bodies
        assert "Leave your email address and a message" in bodies


def test_answers_in_spanish(client, city, ws_socket):
    chat = Chat(client, ws_socket, language="es")
    assert "asistente virtual" in chat.greeting()
    answer = chat.say("¿cómo me registro para votar?")
    assert "Regístrese en línea o en la Secretaría Municipal." in answer
    assert "Más:" in answer


def test_switches_language_when_the_resident_writes_in_spanish(client, city, ws_socket):
    chat = Chat(client, ws_socket)
    chat.greeting()
    answer = chat.say("hola, hay un bache muy grande en la calle")
    assert "Bache" in answer
    assert chat.conversation.language == "es"


@pytest.mark.parametrize("agent_online", [False, True])
def test_it_never_invents_an_answer(client, city, ws_socket, settings, agent_online):
    """Out of scope: it says it cannot help, gives the other ways to reach the city, and a
    person now only when one can answer; never the nearest article."""
    settings.CIVICDESK_AGENCY_PHONE, settings.CIVICDESK_AGENCY_EMAIL = "(555) 010-0311", "311@city.example"
    if agent_online:
        online(StaffFactory(role="agent", all_departments=True))
    chat = Chat(client, ws_socket)
    chat.greeting()
    answer = chat.say("Who won the football match last night?")
    assert "I can't help with that here" in answer
    assert "(555) 010-0311" in answer and "311@city.example" in answer
    assert "http" not in answer  # no article link
    if agent_online:
        assert "to talk to a person now" in answer
    else:
        assert "to leave a message for the team" in answer and "person now" not in answer
    assert Turn.objects.get(question="Who won the football match last night?").outcome == "unsure"


@pytest.mark.parametrize("language, text, expected", [
    ("en", "there is a gas smell coming from the drain on my street", "call 911 now"),
    ("es", "hay olor a gas en la calle y alguien está sangrando", "llame al 911 ahora"),
])
def test_urgent_words_get_the_emergency_notice_before_anything_else(client, city, ws_socket, language, text,
                                                                      expected):
    chat = Chat(client, ws_socket, language=language)
    chat.greeting()
    answer = chat.say(text)
    assert expected in answer.split("\n")[0]  # the first message of the reply
    again = chat.say("and the smell of gas is still there")
    assert expected not in again  # once per conversation; then the resident is helped as usual


def test_a_service_with_an_emergency_notice_says_it_first(client, city, ws_socket):
    pothole = city["pothole"]
    pothole.emergency_notice = "If a car has crashed into it, call 911 now."
    pothole.save()
    chat = Chat(client, ws_socket)
    chat.greeting()
    offer = chat.say("there is a huge pothole on my street")
    first, rest = offer.split("\n", 1)
    assert first == "If a car has crashed into it, call 911 now." and "Pothole" in rest


def test_the_location_is_matched_in_the_address_register_and_confirmed_before_filing(client, city, ws_socket):
    from civicdesk.addresses.models import ImportRun
    from civicdesk.addresses.services import import_addresses

    run = ImportRun.objects.create(kind="addresses", file_name="a.csv")
    import_addresses(run, b"LON,LAT,NUMBER,STREET,ID\n-89.48,41.85,1228,Elm St,A1\n-89.481,41.851,1229,Elm St,A2\n"
                          b"-89.47,41.84,1228,Oak Ave,A3\n")
    chat = Chat(client, ws_socket)
    chat.greeting()
    chat.say("pothole")
    chat.say("yes")
    chat.say("A hole")
    chat.say("Large")
    assert "street name" in chat.say("1")  # a bare number is not an address
    offer = chat.say("1230 Elm St")
    assert "Did you mean: 1. 1229 Elm St; 2. 1228 Elm St?" in offer  # the nearest numbers first
    found = chat.say("2")
    assert "I found 1228 Elm St." in found and "email" in found
    summary = chat.say("skip")
    assert "Where: 1228 Elm St" in summary
    assert "nothing was filed" in chat.say("no") and not ServiceRequest.objects.exists()
    chat.say("pothole")
    chat.say("yes")
    chat.say("A hole")
    chat.say("Large")
    assert "I found 1228 Oak Ave." in chat.say("1228 oak avenue, Riverton")
    chat.say("skip")
    chat.say("yes")
    req = ServiceRequest.objects.get()
    assert (req.address, req.address_id, req.lat, req.long, req.location_checked) == (
        "1228 Oak Ave", "A3", 41.84, -89.47, True)
