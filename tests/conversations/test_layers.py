"""The in-memory channel layer of one-process installs: relays like Channels' own, and
still forgets unread messages and dead memberships, only sweeping at most once a second."""

import asyncio
import time

from civicdesk.conversations.layers import InMemoryChannelLayer


def test_group_send_reaches_every_member():
    async def scenario():
        layer = InMemoryChannelLayer()
        a, b = await layer.new_channel(), await layer.new_channel()
        await layer.group_add("conv-1", a)
        await layer.group_add("conv-1", b)
        await layer.group_send("conv-1", {"type": "relay", "payload": {"seq": 1}})
        return await layer.receive(a), await layer.receive(b)

    got_a, got_b = asyncio.run(scenario())
    assert got_a == got_b == {"type": "relay", "payload": {"seq": 1}}


def test_unread_messages_expire_and_drop_the_channel_from_its_groups():
    async def scenario():
        layer = InMemoryChannelLayer(expiry=0.05)
        layer.sweep_interval = 0.2
        dead, alive = await layer.new_channel(), await layer.new_channel()
        await layer.group_add("conv-1", dead)
        await layer.group_add("conv-1", alive)
        await layer.group_send("conv-1", {"type": "relay", "payload": {"seq": 1}})
        await layer.receive(alive)  # the live socket reads; the dead one never does
        await asyncio.sleep(0.1)  # expired, but the last sweep was under 0.2 s ago
        await layer.group_send("conv-1", {"type": "relay", "payload": {"seq": 2}})
        members_before = set(layer.groups["conv-1"])
        await layer.receive(alive)
        time.sleep(0.25)
        await layer.group_send("conv-1", {"type": "relay", "payload": {"seq": 3}})  # sweeps first
        return dead, alive, members_before, set(layer.groups["conv-1"]), await layer.receive(alive)

    dead, alive, before, after, third = asyncio.run(scenario())
    assert before == {dead, alive}  # no sweep within the interval
    assert after == {alive}  # the sweep dropped the channel whose message expired unread
    assert third["payload"] == {"seq": 3}
