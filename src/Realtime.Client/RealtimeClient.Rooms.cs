using System.Text.Json;
using Realtime.Protocol;

namespace Realtime.Client;

/// <summary>Rooms: joined ones are tracked by seq and epoch, so nothing is missed, repeated or reordered.</summary>
public sealed partial class RealtimeClient
{
    private readonly Dictionary<string, TrackedRoom> _rooms = new(StringComparer.Ordinal);
    private readonly Lock _roomsLock = new();

    /// <summary>The rooms this client is in (and rejoins after a reconnect).</summary>
    public IReadOnlyCollection<string> Rooms
    {
        get
        {
            lock (_roomsLock)
            {
                return [.. _rooms.Keys];
            }
        }
    }

    /// <summary>
    /// Joins a room: its pushes come after the reply, in <c>seq</c> order. The client rejoins it after
    /// every reconnect, recovering what it missed.
    /// </summary>
    public async Task<RoomJoined> JoinAsync(string room, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(room);
        TrackedRoom tracked;
        bool isNew;
        bool askedSince;
        lock (_roomsLock)
        {
            isNew = !_rooms.TryGetValue(room, out tracked!);
            if (isNew)
            {
                tracked = new TrackedRoom(room);
                _rooms[room] = tracked;
            }

            tracked.Recovering = true;
            askedSince = tracked.Epoch is not null;
        }

        try
        {
            var reply = await RequestAsync(SystemActions.Type, SystemActions.JoinRoom, JoinData(tracked), frame => OnJoinReply(tracked, frame, askedSince), null, cancellationToken);
            return new RoomJoined(room, reply.GetProperty(FrameFields.Seq).GetInt64(), reply.GetProperty(FrameFields.Epoch).GetString() ?? "", reply.GetProperty(FrameFields.Recovered).GetBoolean());
        }
        catch (Exception exception) when (exception is not RealtimeRequestException)
        {
            lock (_roomsLock)
            {
                if (isNew && tracked.Epoch is null && IsCurrent(tracked))
                {
                    _rooms.Remove(room);
                }
                else if (!isNew && tracked.Recovering && IsCurrent(tracked) && State == RealtimeConnectionState.Connected)
                {
                    // A rejoin of a known room that got no answer: go on from what is held.
                    GiveUp(tracked);
                }
            }

            throw;
        }
    }

    /// <summary>Leaves a room; it is not rejoined any more.</summary>
    public async Task LeaveAsync(string room, CancellationToken cancellationToken = default)
    {
        lock (_roomsLock)
        {
            _rooms.Remove(room);
        }

        await RequestAsync(SystemActions.Type, SystemActions.LeaveRoom, new Dictionary<string, object?> { [FrameFields.RoomName] = room }, null, null, cancellationToken);
    }

    /// <summary>
    /// Broadcasts to a room (the client must be a member unless the room says otherwise); returns the
    /// push's seq. Without <paramref name="echo"/> the server does not send the push back: its seq is
    /// this client's own, not a gap. With <paramref name="idempotencyKey"/> (1 to 64 characters), sending
    /// again with the same key (a retry after a lost reply) broadcasts nothing and returns the first seq.
    /// </summary>
    public async Task<long> PublishAsync(string room, string type, string action, object? data, bool echo = false, string? idempotencyKey = null, CancellationToken cancellationToken = default)
    {
        TrackedRoom? own = null;
        lock (_roomsLock)
        {
            if (!echo && _rooms.TryGetValue(room, out own))
            {
                own.PendingOwn++;
            }
        }

        var settled = 0;
        try
        {
            var fields = new Dictionary<string, object?> { [FrameFields.RoomName] = room, [FrameFields.Type] = type, [FrameFields.Action] = action, [FrameFields.Data] = data, [FrameFields.Echo] = echo };
            if (idempotencyKey is not null)
            {
                fields[FrameFields.IdempotencyKey] = idempotencyKey;
            }

            var reply = await RequestAsync(SystemActions.Type, SystemActions.Publish, fields, frame =>
            {
                if (own is not null && Interlocked.Exchange(ref settled, 1) == 0)
                {
                    // In the receive loop, in order with the room's pushes.
                    var seq = frame.TryGetProperty(FrameFields.Data, out var replyData) && replyData.ValueKind == JsonValueKind.Object
                        && replyData.TryGetProperty(FrameFields.Seq, out var s) && s.TryGetInt64(out var value) ? value : 0;
                    SettleOwn(own, seq);
                }
            }, null, cancellationToken);
            return reply.GetProperty(FrameFields.Seq).GetInt64();
        }
        finally
        {
            if (own is not null && Interlocked.Exchange(ref settled, 1) == 0)
            {
                SettleOwn(own, 0);
            }
        }
    }

    /// <summary>
    /// Broadcasts a push without a seq to the room's members connected now; it is not kept for
    /// recovery (typing indicators, cursors).
    /// </summary>
    public Task PublishTransientAsync(string room, string type, string action, object? data, bool echo = false, CancellationToken cancellationToken = default)
        => RequestAsync(SystemActions.Type, SystemActions.Publish, new Dictionary<string, object?> { [FrameFields.RoomName] = room, [FrameFields.Type] = type, [FrameFields.Action] = action, [FrameFields.Data] = data, [FrameFields.Echo] = echo, [FrameFields.Transient] = true }, null, null, cancellationToken);

    /// <summary>The room's members (client id, user id, the metadata the room exposes), if the room lets this client see them.</summary>
    public async Task<IReadOnlyList<RoomMemberInfo>> PresenceAsync(string room, CancellationToken cancellationToken = default)
    {
        var reply = await RequestAsync(SystemActions.Type, SystemActions.Presence, new Dictionary<string, object?> { [FrameFields.RoomName] = room }, null, null, cancellationToken);
        return [.. reply.GetProperty(FrameFields.Members).EnumerateArray().Select(m => new RoomMemberInfo(
            m.GetProperty(FrameFields.ClientId).GetString()!,
            m.TryGetProperty(FrameFields.UserId, out var user) && user.ValueKind == JsonValueKind.String ? user.GetString() : null,
            m.TryGetProperty(FrameFields.Metadata, out var metadata) && metadata.ValueKind == JsonValueKind.Object
                ? metadata.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? "", StringComparer.Ordinal)
                : null))];
    }

    /// <summary>The last seq delivered for a joined room, or null when the client is not in it.</summary>
    public long? LastSeq(string room)
    {
        lock (_roomsLock)
        {
            return _rooms.TryGetValue(room, out var tracked) ? tracked.LastSeq : null;
        }
    }

    private static Dictionary<string, object?> JoinData(TrackedRoom room)
        => room.Epoch is null
            ? new Dictionary<string, object?> { [FrameFields.RoomName] = room.Name }
            : new Dictionary<string, object?> { [FrameFields.RoomName] = room.Name, [FrameFields.Since] = room.LastSeq, [FrameFields.Epoch] = room.Epoch };

    private bool IsCurrent(TrackedRoom room) => _rooms.TryGetValue(room.Name, out var current) && ReferenceEquals(current, room);
}

/// <summary>A room joined: its last seq and epoch, and whether what was missed was recovered in full.</summary>
public sealed record RoomJoined(string Room, long Seq, string Epoch, bool Recovered);

/// <summary>A member of a room.</summary>
public sealed record RoomMemberInfo(string ClientId, string? UserId, IReadOnlyDictionary<string, string>? Metadata = null);
