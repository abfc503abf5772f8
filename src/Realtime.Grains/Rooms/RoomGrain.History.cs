using Realtime.Rooms;

namespace Realtime.Grains.Rooms;

/// <summary>
/// The room's history: what a join with <c>since</c> recovers, and its write-behind to storage
/// (behind the live history by at most <see cref="RoomOptions.HistoryFlushInterval"/>).
/// </summary>
internal sealed partial class RoomGrain
{
    public Task<RoomHistorySlice> GetHistory(long afterSeq)
        => Task.FromResult(RoomRecovery.Slice(_history, afterSeq, _seq, State.Epoch, _time.GetUtcNow().UtcTicks));

    private RoomJoinResult Recover(long? since, string? epoch, string clientId, IReadOnlyDictionary<string, string>? metadata)
        => RoomRecovery.Recover(_history, _seq, State.Epoch, since, epoch, clientId, metadata, _options.MaxRecoveryBytes, _time.GetUtcNow().UtcTicks);

    /// <summary>Writes what changed of the history and its idempotency keys; false (logged) when storage refused.</summary>
    private async Task<bool> WriteHistory(CancellationToken cancellationToken)
    {
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            await _savedHistory.WriteAsync(State.Epoch, _history, _keys);
            return true;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogHistoryFlushFailed(exception, _name);
            return false;
        }
    }
}
