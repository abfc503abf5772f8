using System.Collections.Concurrent;
using Realtime.Delivery;
using Realtime.Gateway.Connections;

namespace Realtime.Gateway.Delivery;

/// <summary>
/// Which local connections are in which room. Membership changes take one lock (they are rare next
/// to broadcasts), which guards both maps; broadcasts read a room's member array without locking.
/// </summary>
internal sealed class LocalRooms
{
    private readonly ConcurrentDictionary<string, LocalRoom> _rooms = new(StringComparer.Ordinal);
    private readonly Dictionary<Connection, Dictionary<string, RoomMembership>> _byConnection = [];
    private readonly Lock _lock = new();

    /// <summary>Rooms with at least one member on this gateway.</summary>
    public int Count => _rooms.Count;

    /// <summary>
    /// Completes when every member of <paramref name="room"/> on this gateway is within its send queue's
    /// cap (at once, nearly always): a publisher waits for members that are behind, so a burst
    /// slows its sender instead of cutting its readers.
    /// </summary>
    public Task WhenMembersDrained(string room)
    {
        if (!_rooms.TryGetValue(room, out var local))
        {
            return Task.CompletedTask;
        }

        List<Task>? behind = null;
        foreach (var member in local.Members)
        {
            var drained = member.Connection.WhenDrained();
            if (!drained.IsCompleted)
            {
                (behind ??= []).Add(drained);
            }
        }

        return behind is null ? Task.CompletedTask : Task.WhenAll(behind);
    }

    /// <summary>
    /// Starts a join (by the client, or by the server): from now on the room's pushes for the
    /// connection are held until the returned join is committed or aborted. A connection already in
    /// the room keeps its membership (a rejoin, to recover say); otherwise it gets a new one.
    /// </summary>
    public PendingJoin BeginJoin(string room, Connection connection)
    {
        lock (_lock)
        {
            if (!_byConnection.TryGetValue(connection, out var memberships))
            {
                memberships = _byConnection[connection] = new Dictionary<string, RoomMembership>(StringComparer.Ordinal);
            }

            if (memberships.TryGetValue(room, out var existing))
            {
                existing.HoldForRejoin();
                return new PendingJoin(this, existing, rejoin: true);
            }

            if (!_rooms.TryGetValue(room, out var local))
            {
                local = new LocalRoom(room);
                _rooms[room] = local;
            }

            var membership = new RoomMembership(connection, room);
            local.Add(membership);
            memberships[room] = membership;
            return new PendingJoin(this, membership, rejoin: false);
        }
    }

    /// <summary>Stops delivering the room to the connection.</summary>
    public void Leave(string room, Connection connection)
    {
        lock (_lock)
        {
            if (_byConnection.TryGetValue(connection, out var memberships) && memberships.Remove(room, out var membership))
            {
                RemoveLocked(membership);
            }
        }
    }

    /// <summary>Takes a membership out, unless it was replaced meanwhile.</summary>
    internal void Remove(RoomMembership membership)
    {
        lock (_lock)
        {
            if (_byConnection.TryGetValue(membership.Connection, out var memberships)
                && memberships.TryGetValue(membership.Room, out var current) && ReferenceEquals(current, membership))
            {
                memberships.Remove(membership.Room);
                RemoveLocked(membership);
            }
        }
    }

    /// <summary>Takes a closed connection out of every room.</summary>
    public void RemoveConnection(Connection connection)
    {
        lock (_lock)
        {
            if (_byConnection.Remove(connection, out var memberships))
            {
                foreach (var membership in memberships.Values)
                {
                    RemoveLocked(membership);
                }
            }
        }
    }

    /// <summary>The rooms the connection is in here.</summary>
    public string[] RoomsOf(Connection connection)
    {
        lock (_lock)
        {
            return _byConnection.TryGetValue(connection, out var memberships) ? [.. memberships.Keys] : [];
        }
    }

    /// <summary>Records where a member's join found the room.</summary>
    internal void Observe(string room, string epoch, long seq)
    {
        if (_rooms.TryGetValue(room, out var local))
        {
            local.Observe(epoch, seq);
        }
    }

    /// <summary>Places a push in its room's sequence; null when no member of the room is here.</summary>
    public SequenceCheck? Check(RoomPush push)
        => _rooms.TryGetValue(push.Room, out var room) ? room.Check(push.Epoch, push.Seq) : null;

    /// <summary>
    /// Writes a sequenced push to the room's local members it is for; <paramref name="publishedTicks"/>
    /// (UTC, 0 when unknown) times its delivery. Returns how many members it was given to.
    /// </summary>
    public int Deliver(string roomName, long seq, byte[] frame, string[]? exclude, Dictionary<string, string>? filter, long publishedTicks = 0)
    {
        if (!_rooms.TryGetValue(roomName, out var room))
        {
            return 0;
        }

        var rules = new DeliveryRules(exclude, filter);
        var delivered = 0;
        foreach (var membership in room.Members)
        {
            if (rules.IsEmpty || rules.Accepts(membership.Connection))
            {
                membership.Deliver(seq, frame, publishedTicks);
                delivered++;
            }
        }

        return delivered;
    }

    /// <summary>
    /// Tells the room's local members that pushes were lost for good (or the room's history was
    /// reset): they should recover with <c>since</c> or reload. Their seq tracking starts afresh.
    /// </summary>
    public int Resync(string roomName, byte[] frame, bool newEpoch)
    {
        if (!_rooms.TryGetValue(roomName, out var room))
        {
            return 0;
        }

        var members = 0;
        foreach (var membership in room.Members)
        {
            if (newEpoch)
            {
                membership.StartNewEpoch();
            }

            membership.DeliverResync(frame);
            members++;
        }

        return members;
    }

    public void Deliver(RoomEventPush push)
    {
        if (!_rooms.TryGetValue(push.Room, out var room))
        {
            return;
        }

        var rules = new DeliveryRules(push.Exclude, push.Filter);
        foreach (var membership in room.Members)
        {
            if (rules.Accepts(membership.Connection))
            {
                membership.DeliverEvent(push.Frame);
            }
        }
    }

    /// <summary>One push to the members of several rooms, each connection once; returns how many it was given to.</summary>
    public int DeliverToRooms(string[] rooms, byte[] frame, DeliveryRules rules)
    {
        HashSet<Connection>? seen = rooms.Length > 1 ? [] : null;
        var delivered = 0;
        foreach (var name in rooms)
        {
            if (!_rooms.TryGetValue(name, out var room))
            {
                continue;
            }

            foreach (var membership in room.Members)
            {
                var connection = membership.Connection;
                if (membership.IsLive && (seen is null || seen.Add(connection)) && rules.Accepts(connection))
                {
                    connection.Send(frame);
                    delivered++;
                }
            }
        }

        return delivered;
    }

    private void RemoveLocked(RoomMembership membership)
    {
        if (_rooms.TryGetValue(membership.Room, out var local) && local.Remove(membership))
        {
            _rooms.TryRemove(membership.Room, out _);
        }
    }
}
