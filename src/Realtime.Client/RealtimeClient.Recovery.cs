using System.Text.Json;
using Microsoft.Extensions.Logging;
using Realtime.Protocol;

namespace Realtime.Client;

/// <summary>
/// Keeping a room whole: pushes held and delivered in seq order, gaps and resyncs recovered with
/// <c>since</c>/<c>epoch</c>, the client's own publishes without echo counted as seen.
/// </summary>
public sealed partial class RealtimeClient
{
    /// <summary>A room push, in the receive loop: held, then delivered in order; a repeat is dropped, a gap starts a recovery.</summary>
    private Task OnRoomPush(string room, long seq, JsonElement frame)
    {
        lock (_roomsLock)
        {
            if (!_rooms.TryGetValue(room, out var tracked))
            {
                Emit(frame);
                return Task.CompletedTask;
            }

            tracked.Held.Add((seq, frame));
            if (!tracked.Recovering)
            {
                Drain(tracked);
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>The reply to one of this client's publishes without echo: its seq is not a gap.</summary>
    private void SettleOwn(TrackedRoom room, long seq)
    {
        lock (_roomsLock)
        {
            room.PendingOwn = Math.Max(0, room.PendingOwn - 1);
            if (seq > room.LastSeq)
            {
                room.OwnSeqs.Add(seq);
            }

            if (IsCurrent(room) && !room.Recovering)
            {
                Drain(room);
            }
        }
    }

    /// <summary>
    /// Delivers the held pushes that come next in order (under the lock). What is left after a gap
    /// waits for the replies of the client's own publishes (their seqs are not echoed), then the room
    /// is recovered.
    /// </summary>
    private void Drain(TrackedRoom room)
    {
        room.Held.Sort((a, b) => a.Seq.CompareTo(b.Seq));
        var delivered = 0;
        foreach (var (seq, frame) in room.Held)
        {
            while (room.OwnSeqs.Remove(room.LastSeq + 1))
            {
                room.LastSeq++;
            }

            if (seq > room.LastSeq + 1)
            {
                break;
            }

            delivered++;
            if (seq == room.LastSeq + 1)
            {
                room.LastSeq = seq;
                Emit(frame);
            }
        }

        room.Held.RemoveRange(0, delivered);
        while (room.OwnSeqs.Remove(room.LastSeq + 1))
        {
            room.LastSeq++;
        }

        if (room.Held.Count > 0 && room.PendingOwn == 0)
        {
            LogGap(room.Name, room.LastSeq, room.Held[0].Seq);
            room.Recovering = true;
            _ = RecoverAsync(room);
        }
    }

    /// <summary>The server says pushes of a room were lost: recover from where this client is.</summary>
    private Task OnResync(JsonElement frame)
    {
        if (!frame.TryGetProperty(FrameFields.Room, out var name) || name.GetString() is not { } room)
        {
            return Task.CompletedTask;
        }

        lock (_roomsLock)
        {
            if (_rooms.TryGetValue(room, out var tracked))
            {
                if (tracked.Recovering)
                {
                    // After the recovery under way, which may have been answered before the loss.
                    tracked.ResyncPending = true;
                }
                else
                {
                    tracked.Recovering = true;
                    _ = RecoverAsync(tracked);
                }
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>The server put this client in a room (tracked from its seq on) or took it out.</summary>
    private void OnServerMembership(JsonElement frame, bool joined)
    {
        if (!frame.TryGetProperty(FrameFields.Room, out var name) || name.GetString() is not { } room)
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

            var data = frame.GetProperty(FrameFields.Data);
            if (!_rooms.TryGetValue(room, out var tracked))
            {
                _rooms[room] = tracked = new TrackedRoom(room);
            }

            var epoch = data.GetProperty(FrameFields.Epoch).GetString();
            var seq = data.GetProperty(FrameFields.Seq).GetInt64();
            // A room known in this epoch keeps its position (a user's room after a reconnect, say):
            // its rejoin, or the gap the next push shows, recovers what came in between.
            if (tracked.Epoch != epoch)
            {
                tracked.LastSeq = seq;
                tracked.OwnSeqs.Clear();
            }

            tracked.Epoch = epoch;
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
                // What the old connection held comes again with the recovery.
                room.Recovering = true;
                room.Held.Clear();
                room.ResyncPending = false;
            }

            return rooms;
        }
    }

    private async Task RecoverAsync(TrackedRoom room)
    {
        bool askedSince;
        lock (_roomsLock)
        {
            if (!IsCurrent(room))
            {
                return;
            }

            askedSince = room.Epoch is not null;
        }

        try
        {
            await RequestAsync(SystemActions.Type, SystemActions.JoinRoom, JoinData(room), frame => OnJoinReply(room, frame, askedSince), null, _lifetime.Token);
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
                if (IsCurrent(room) && room.Recovering)
                {
                    GiveUp(room);
                }
            }
        }
        catch (Exception)
        {
            // Disconnected meanwhile: the next connection rejoins every room.
        }
    }

    /// <summary>A join's reply, in the receive loop: the missed pushes, then those held meanwhile, then live.</summary>
    private void OnJoinReply(TrackedRoom room, JsonElement frame, bool askedSince)
    {
        var ok = frame.TryGetProperty(FrameFields.Ok, out var okValue) && okValue.ValueKind == JsonValueKind.True;
        lock (_roomsLock)
        {
            if (!IsCurrent(room))
            {
                // Left while the join was in flight: do not stay in the room.
                if (ok)
                {
                    _ = TrySendAsync(Frame(SystemActions.Type, SystemActions.LeaveRoom, new Dictionary<string, object?> { [FrameFields.RoomName] = room.Name }, null), _lifetime.Token);
                }

                return;
            }

            if (!ok)
            {
                // Refused: the client is not (or no longer) in the room.
                _rooms.Remove(room.Name);
                if (askedSince)
                {
                    _events.Writer.TryWrite(new RecoveryFailure(room.Name));
                }

                room.Held.Clear();
                room.Recovering = false;
                return;
            }

            var data = frame.GetProperty(FrameFields.Data);
            var epoch = data.GetProperty(FrameFields.Epoch).GetString() ?? "";
            var recovered = data.GetProperty(FrameFields.Recovered).GetBoolean();
            if (askedSince && epoch != room.Epoch)
            {
                // The room's history was reset: seqs start again, and nothing held from before counts.
                room.LastSeq = 0;
                room.Held.Clear();
                room.OwnSeqs.Clear();
                recovered = false;
            }

            room.Epoch = epoch;
            foreach (var missed in data.GetProperty(FrameFields.Missed).EnumerateArray())
            {
                var missedSeq = missed.GetProperty(FrameFields.Seq).GetInt64();
                if (missedSeq <= room.LastSeq)
                {
                    continue;
                }

                room.LastSeq = missedSeq;

                // A push this client published itself, sent back to its new connection: not news.
                if (!room.OwnSeqs.Remove(missedSeq))
                {
                    Emit(missed);
                }
            }

            room.LastSeq = Math.Max(room.LastSeq, data.GetProperty(FrameFields.Seq).GetInt64());
            room.OwnSeqs.RemoveWhere(seq => seq <= room.LastSeq);
            if (askedSince && !recovered)
            {
                _events.Writer.TryWrite(new RecoveryFailure(room.Name));
            }

            room.Recovering = false;
            if (room.ResyncPending)
            {
                room.ResyncPending = false;
                room.Recovering = true;
                _ = RecoverAsync(room);
            }
            else
            {
                Drain(room);
            }
        }
    }

    /// <summary>A recovery that got no answer (under the lock): say so, and go on from what is held.</summary>
    private void GiveUp(TrackedRoom room)
    {
        _events.Writer.TryWrite(new RecoveryFailure(room.Name));
        foreach (var (seq, frame) in room.Held.OrderBy(h => h.Seq))
        {
            if (seq > room.LastSeq)
            {
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

        public bool ResyncPending { get; set; }

        /// <summary>This client's publishes without echo whose replies have not come yet.</summary>
        public int PendingOwn { get; set; }

        /// <summary>Seqs of this client's own publishes without echo, past <see cref="LastSeq"/>.</summary>
        public HashSet<long> OwnSeqs { get; } = [];

        public List<(long Seq, JsonElement Frame)> Held { get; } = [];
    }

    private sealed record RecoveryFailure(string Room);

    [LoggerMessage(EventId = 10, Level = LogLevel.Information, Message = "Room {Room}: seq jumped from {LastSeq} to {Seq}; recovering.")]
    private partial void LogGap(string room, long lastSeq, long seq);
}
