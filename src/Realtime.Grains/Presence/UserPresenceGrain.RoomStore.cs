using Microsoft.Extensions.Logging;
using Realtime.Grains.Rooms;

namespace Realtime.Grains.Presence;

/// <summary>
/// The user's room in storage: its order (epoch, seq, reservation) in the presence record, written
/// with the connections; its history in a record of its own, read on first use (a connect never
/// waits for it) and written behind by at most <see cref="RoomOptions.HistoryFlushInterval"/>, in
/// segments (<see cref="HistoryRecords"/>).
/// </summary>
internal sealed partial class UserPresenceGrain
{
    private const string HistoryRecord = "userRoomHistory";

    private Task<RoomHistory>? _history;
    private RoomIdempotency? _keys;
    private HistoryRecords? _savedHistory;
    private WriteBehind? _historyWrites;

    private WriteBehind HistoryWrites => _historyWrites ??= new WriteBehind(this, rooms.Value.HistoryFlushInterval, WriteHistory);

    private void ActivateRoom()
    {
        var saved = state.State;

        // Any seq up to the reservation may have reached clients unless the last write was a clean one.
        _seq = saved.RoomClean ? saved.RoomSeq : Math.Max(saved.RoomSeq, saved.RoomReservedSeq);
        if (_seq > saved.RoomSeq)
        {
            LogResumedAfterReservation(UserId, saved.RoomSeq, _seq);
        }
    }

    /// <summary>Writes the presence record with the room's order; a <paramref name="reservation"/> counts once it is in storage.</summary>
    private async Task Save(long reservation = 0)
    {
        var saved = state.State;
        var reserved = saved.RoomReservedSeq;
        saved.RoomSeq = _seq;
        saved.RoomReservedSeq = Math.Max(Math.Max(reserved, reservation), _seq);
        saved.RoomClean = false;
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            saved.RoomReservedSeq = reserved;
            throw;
        }
    }

    /// <summary>The user went offline: the records stay while the room holds something to recover, else they go.</summary>
    private async Task SaveOffline()
    {
        var history = await History();
        var now = time.GetUtcNow().UtcTicks;
        history.Evict(now);
        _keys!.Evict(now);
        if (history.Count > 0 || _keys.Count > 0)
        {
            await HistoryWrites.FlushAsync(CancellationToken.None);
            await Save();
            return;
        }

        // Nothing to recover: a later connection starts a new epoch, and a client asking for old seqs is told they are gone.
        HistoryWrites.Stop(forget: true);
        if (_savedHistory is not null)
        {
            await _savedHistory.ClearAsync();
        }

        await state.ClearStateAsync();
        state.State.RoomEpoch = "";
        _seq = 0;
    }

    private async Task DeactivateRoom(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _historyWrites?.Stop();
        if (shutdown.StateDiesWith(reason))
        {
            return;
        }

        try
        {
            if (_historyWrites is { } writes)
            {
                await writes.FlushAsync(cancellationToken);
            }

            var saved = state.State;
            if (state.RecordExists && (saved.RoomSeq != _seq || saved.RoomReservedSeq > _seq))
            {
                // Clean: the next activation goes on from the exact seq, with no gap for its clients.
                saved.RoomSeq = saved.RoomReservedSeq = _seq;
                saved.RoomClean = true;
                await state.WriteStateAsync(cancellationToken);
            }
        }
        catch (Exception exception)
        {
            // The reservation keeps seqs unique anyway.
            LogRoomSaveFailed(exception, UserId, reason.ReasonCode);
        }
    }

    /// <summary>The room's history, read from storage the first time it is needed.</summary>
    private Task<RoomHistory> History()
    {
        if (_history is null || _history.IsFaulted)
        {
            _history = LoadHistory();
        }

        return _history;
    }

    private async Task<RoomHistory> LoadHistory()
    {
        var options = users.Value;
        var history = new RoomHistory(options.HistorySize, options.HistoryTtl, options.HistoryMaxBytes);
        var room = rooms.Value;
        var keys = new RoomIdempotency(room.IdempotencyWindow, room.IdempotencyMaxKeys, room.IdempotencyMaxBytes);
        var saved = new HistoryRecords(storage, this.GetGrainId(), HistoryRecord);
        var (entries, savedKeys) = await saved.LoadAsync(Epoch);
        var now = time.GetUtcNow().UtcTicks;
        history.Load(entries, now);
        keys.Load(savedKeys, now);

        _savedHistory = saved;
        _keys = keys;
        return history;
    }

    /// <summary>Writes what changed of the loaded history and its idempotency keys; false (logged) when storage refused.</summary>
    private async Task<bool> WriteHistory(CancellationToken cancellationToken)
    {
        if (_history is not { IsCompletedSuccessfully: true } loaded)
        {
            return true;
        }

        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            await _savedHistory!.WriteAsync(Epoch, await loaded, _keys!);
            return true;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogHistoryFlushFailed(exception, UserId);
            return false;
        }
    }

    [LoggerMessage(EventId = 1402, Level = LogLevel.Error, Message = "A push to user {UserId}'s room (seq {Seq}) could not be sent to every gateway; they repair it from the history.")]
    private partial void LogRoomSendFailed(Exception exception, string userId, long seq);

    [LoggerMessage(EventId = 1403, Level = LogLevel.Warning, Message = "User {UserId}'s room history could not be written; it is tried again.")]
    private partial void LogHistoryFlushFailed(Exception exception, string userId);

    [LoggerMessage(EventId = 1404, Level = LogLevel.Warning, Message = "User {UserId}'s room could not be saved on deactivation ({Reason}).")]
    private partial void LogRoomSaveFailed(Exception exception, string userId, DeactivationReasonCode reason);

    [LoggerMessage(EventId = 1405, Level = LogLevel.Information, Message = "User {UserId}'s room resumes after its seq reservation: seq {Saved} to {Resumed} may have been given.")]
    private partial void LogResumedAfterReservation(string userId, long saved, long resumed);
}
