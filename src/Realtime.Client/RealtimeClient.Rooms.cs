using System.Text.Json;
using Microsoft.Extensions.Logging;

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
        lock (_roomsLock)
        {
            isNew = !_rooms.TryGetValue(room, out tracked!);
            if (isNew)
            {
                tracked = new TrackedRoom(room);
                _rooms[room] = tracked;
            }

            tracked.Recovering = true;
        }

        try
        {
            var reply = await RequestAsync("system", "joinRoom", JoinData(tracked), frame => OnJoinReply(tracked, frame), null, cancellationToken);
            return new RoomJoined(room, reply.GetProperty("seq").GetInt64(), reply.GetProperty("epoch").GetString() ?? "", reply.GetProperty("recovered").GetBoolean());
        }
        catch (Exception) when (isNew)
        {
            lock (_roomsLock)
            {
                _rooms.Remove(room);
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

        await RequestAsync("system", "leaveRoom", new { roomName = room }, null, null, cancellationToken);
    }

    /// <summary>Broadcasts to a room (the client must be a member unless the room says otherwise); returns the push's seq.</summary>
    public async Task<long> PublishAsync(string room, string type, string action, object? data, bool echo = false, CancellationToken cancellationToken = default)
    {
        var reply = await RequestAsync("system", "publish", new { roomName = room, type, action, data, echo }, null, null, cancellationToken);
        return reply.GetProperty("seq").GetInt64();
    }

    /// <summary>The room's members (client id, user id, the metadata the room exposes), if the room lets this client see them.</summary>
    public async Task<IReadOnlyList<RoomMemberInfo>> PresenceAsync(string room, CancellationToken cancellationToken = default)
    {
        var reply = await RequestAsync("system", "presence", new { roomName = room }, null, null, cancellationToken);
        return [.. reply.GetProperty("members").EnumerateArray().Select(m => new RoomMemberInfo(
            m.GetProperty("clientId").GetString()!,
            m.TryGetProperty("userId", out var user) && user.ValueKind == JsonValueKind.String ? user.GetString() : null,
            m.TryGetProperty("metadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object
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

    private static object JoinData(TrackedRoom room)
        => room.Epoch is null ? new { roomName = room.Name } : new { roomName = room.Name, since = room.LastSeq, epoch = room.Epoch };

    /// <summary>A room push, in the receive loop: in order it is delivered, a repeat is dropped, a gap starts a recovery.</summary>
    private Task OnRoomPush(string room, long seq, JsonElement frame)
    {
        TrackedRoom? recover = null;
        lock (_roomsLock)
        {
            if (!_rooms.TryGetValue(room, out var tracked))
            {
                Emit(frame);
                return Task.CompletedTask;
            }

            if (tracked.Recovering)
            {
                tracked.Held.Add((seq, frame));
            }
            else if (seq <= tracked.LastSeq)
            {
                // Already delivered (a repeat after a recovery or a failover).
            }
            else if (seq == tracked.LastSeq + 1)
            {
                tracked.LastSeq = seq;
                Emit(frame);
            }
            else
            {
                LogGap(room, tracked.LastSeq, seq);
                tracked.Recovering = true;
                tracked.Held.Add((seq, frame));
                recover = tracked;
            }
        }

        if (recover is not null)
        {
            _ = RecoverAsync(recover);
        }

        return Task.CompletedTask;
    }

    /// <summary>The server says pushes of a room were lost: recover from where this client is.</summary>
    private Task OnResync(JsonElement frame)
    {
        if (!frame.TryGetProperty("room", out var name) || name.GetString() is not { } room)
        {
            return Task.CompletedTask;
        }

        TrackedRoom? recover = null;
        lock (_roomsLock)
        {
            if (_rooms.TryGetValue(room, out var tracked) && !tracked.Recovering)
            {
                tracked.Recovering = true;
                recover = tracked;
            }
        }

        if (recover is not null)
        {
            _ = RecoverAsync(recover);
        }

        return Task.CompletedTask;
    }

    /// <summary>The server put this client in a room (tracked from its seq on) or took it out.</summary>
    private void OnServerMembership(JsonElement frame, bool joined)
    {
        if (!frame.TryGetProperty("room", out var name) || name.GetString() is not { } room)
        {
            return;
        }

        lock (_roomsLock)
        {
            if (!joined)
            {
                _rooms.Remove(room);
                return;
            }

            var data = frame.GetProperty("data");
            if (!_rooms.TryGetValue(room, out var tracked))
            {
                _rooms[room] = tracked = new TrackedRoom(room);
            }

            tracked.Epoch = data.GetProperty("epoch").GetString();
            tracked.LastSeq = Math.Max(tracked.LastSeq, data.GetProperty("seq").GetInt64());
        }
    }

    /// <summary>The rooms to rejoin on a new connection, each holding its pushes until its reply.</summary>
    private TrackedRoom[] RoomsToRejoin()
    {
        lock (_roomsLock)
        {
            TrackedRoom[] rooms = [.. _rooms.Values.Where(r => r.Epoch is not null)];
            foreach (var room in rooms)
            {
                room.Recovering = true;
            }

            return rooms;
        }
    }

    private async Task RecoverAsync(TrackedRoom room)
    {
        try
        {
            await RequestAsync("system", "joinRoom", JoinData(room), frame => OnJoinReply(room, frame), null, _lifetime.Token);
        }
        catch (RealtimeRequestException)
        {
            // The reply itself was handled in order (OnJoinReply).
        }
        catch (Exception) when (!_lifetime.IsCancellationRequested && State == RealtimeConnectionState.Connected)
        {
            // No answer while still connected: deliver what is held and say the room may miss pushes.
            lock (_roomsLock)
            {
                Release(room, askedSince: true, recovered: false);
            }
        }
        catch (Exception)
        {
            // Disconnected meanwhile: the next connection rejoins every room.
        }
    }

    /// <summary>A join's reply, in the receive loop: the missed pushes, then those held meanwhile, then live.</summary>
    private void OnJoinReply(TrackedRoom room, JsonElement frame)
    {
        lock (_roomsLock)
        {
            var askedSince = room.Epoch is not null;
            if (!frame.TryGetProperty("ok", out var ok) || ok.ValueKind != JsonValueKind.True)
            {
                if (askedSince)
                {
                    // Refused on recovery: the client is no longer in the room.
                    _rooms.Remove(room.Name);
                    _events.Writer.TryWrite(new RecoveryFailure(room.Name));
                }

                room.Held.Clear();
                room.Recovering = false;
                return;
            }

            var data = frame.GetProperty("data");
            var epoch = data.GetProperty("epoch").GetString() ?? "";
            var seq = data.GetProperty("seq").GetInt64();
            var recovered = data.GetProperty("recovered").GetBoolean();
            if (askedSince && epoch != room.Epoch)
            {
                room.LastSeq = 0;
                recovered = false;
            }

            room.Epoch = epoch;
            foreach (var missed in data.GetProperty("missed").EnumerateArray())
            {
                var missedSeq = missed.GetProperty("seq").GetInt64();
                if (missedSeq > room.LastSeq)
                {
                    room.LastSeq = missedSeq;
                    Emit(missed);
                }
            }

            room.LastSeq = Math.Max(room.LastSeq, seq);
            Release(room, askedSince, recovered);
        }
    }

    /// <summary>Delivers held pushes past the room's seq, in order, and goes live; raises the failure when recovery was incomplete.</summary>
    private void Release(TrackedRoom room, bool askedSince, bool recovered)
    {
        if (askedSince && !recovered)
        {
            _events.Writer.TryWrite(new RecoveryFailure(room.Name));
        }

        foreach (var (seq, frame) in room.Held.OrderBy(h => h.Seq))
        {
            if (seq > room.LastSeq)
            {
                // A gap left after a recovery is not chased again: it was reported above or is new.
                room.LastSeq = seq;
                Emit(frame);
            }
        }

        room.Held.Clear();
        room.Recovering = false;
    }

    private sealed class TrackedRoom(string name)
    {
        public string Name { get; } = name;

        public string? Epoch { get; set; }

        public long LastSeq { get; set; }

        public bool Recovering { get; set; }

        public List<(long Seq, JsonElement Frame)> Held { get; } = [];
    }

    private sealed record RecoveryFailure(string Room);

    [LoggerMessage(EventId = 10, Level = LogLevel.Information, Message = "Room {Room}: seq jumped from {LastSeq} to {Seq}; recovering.")]
    private partial void LogGap(string room, long lastSeq, long seq);
}

/// <summary>A room joined: its last seq and epoch, and whether what was missed was recovered in full.</summary>
public sealed record RoomJoined(string Room, long Seq, string Epoch, bool Recovered);

/// <summary>A member of a room.</summary>
public sealed record RoomMemberInfo(string ClientId, string? UserId, IReadOnlyDictionary<string, string>? Metadata = null);
