using Realtime.Delivery;
using Realtime.Protocol;

namespace Realtime.Gateway.Delivery;

/// <summary>Gap repair: a room under repair holds its later items, which the repair hands on in order when it is done.</summary>
internal sealed partial class GatewayStreamConsumer
{
    /// <summary>Queues the item behind its room's repair; false when the room is not under repair.</summary>
    private bool Hold(string room, GatewayMessage item)
    {
        if (Volatile.Read(ref _heldRooms) == 0)
        {
            // Only the lane starts a hold, so none can begin between this read and the item's handling.
            return false;
        }

        lock (_heldLock)
        {
            if (_held.TryGetValue(room, out var queue))
            {
                queue.Enqueue(item);
                return true;
            }

            return false;
        }
    }

    /// <summary>
    /// Beside the lane: repairs the gap before <paramref name="push"/>, writes it, then handles what
    /// arrived for the room meanwhile (repairing again if that has a gap) until nothing is held.
    /// </summary>
    private async Task RepairBeside(RoomPush push, long after)
    {
        try
        {
            await RepairThenDeliver(push, after);
        }
        catch (Exception exception)
        {
            // Whatever happens, the hold must end: the loop below releases the room.
            LogDeliveryFailed(exception, nameof(RoomPush));
        }

        while (TakeHeld(push.Room) is { } batch)
        {
            foreach (var item in batch)
            {
                try
                {
                    if (item is RoomPush held)
                    {
                        if (rooms.Check(held) is not { } check)
                        {
                            continue;
                        }

                        if (check.State == SequenceState.Gap)
                        {
                            await RepairThenDeliver(held, check.After);
                        }
                        else
                        {
                            DeliverInOrder(held, check);
                        }
                    }
                    else
                    {
                        Handle(item);
                    }
                }
                catch (Exception exception)
                {
                    LogDeliveryFailed(exception, item.GetType().Name);
                }
            }
        }
    }

    private async Task RepairThenDeliver(RoomPush push, long after)
    {
        await Repair(push, after);
        metrics.Delivered("room", rooms.Deliver(push.Room, push.Seq, push.Frame, push.Exclude, push.Filter, push.PublishedTicks));
    }

    /// <summary>What was held for the room, in order; null (and the room's hold ends) when nothing is.</summary>
    private GatewayMessage[]? TakeHeld(string room)
    {
        lock (_heldLock)
        {
            var queue = _held[room];
            if (queue.Count == 0)
            {
                _held.Remove(room);
                Volatile.Write(ref _heldRooms, _held.Count);
                return null;
            }

            var batch = queue.ToArray();
            queue.Clear();
            return batch;
        }
    }

    /// <summary>Writes the pushes between <paramref name="after"/> and the push that revealed the gap, from the room's history.</summary>
    private async Task Repair(RoomPush push, long after)
    {
        var expected = after + 1;
        try
        {
            var slice = await cluster.GetRoomHistoryAsync(push.Room, after).WaitAsync(s_repairTimeout);
            if (slice.Epoch == push.Epoch)
            {
                for (var i = 0; i < slice.Seqs.Length && slice.Seqs[i] < push.Seq; i++)
                {
                    if (slice.Seqs[i] != expected)
                    {
                        break;
                    }

                    metrics.Delivered("room", rooms.Deliver(push.Room, slice.Seqs[i], slice.Frames[i], slice.Excludes?[i], slice.Filters?[i]));
                    expected++;
                }
            }
        }
        catch (Exception exception)
        {
            LogRepairFailed(exception, push.Room);
        }

        metrics.GapRepair(repaired: expected == push.Seq);
        if (expected == push.Seq)
        {
            LogRepaired(push.Room, after, push.Seq);
        }
        else
        {
            LogUnrepairable(push.Room, expected, push.Seq - 1);
            metrics.Resync(newEpoch: false, rooms.Resync(push.Room, ServerFrames.Resync(push.Room, push.Epoch, push.Seq), newEpoch: false));
        }
    }
}
