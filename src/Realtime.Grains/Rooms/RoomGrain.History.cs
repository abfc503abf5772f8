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

    private void ScheduleHistoryFlush()
    {
        _historyDirty = true;
        _flushTimer ??= this.RegisterGrainTimer(
            static (grain, cancellationToken) => grain.OnFlushTimer(cancellationToken),
            this,
            new GrainTimerCreationOptions(_options.HistoryFlushInterval, _options.HistoryFlushInterval));
    }

    private async Task OnFlushTimer(CancellationToken cancellationToken)
    {
        if (!_historyDirty)
        {
            // A quiet period: stop ticking until the next publish.
            _flushTimer?.Dispose();
            _flushTimer = null;
            return;
        }

        await FlushHistory(cancellationToken);
    }

    private async Task FlushHistory(CancellationToken cancellationToken)
    {
        if (!_historyDirty)
        {
            return;
        }

        _historyDirty = false;
        _savedHistory.State.Epoch = State.Epoch;
        _savedHistory.State.Entries = _history.ToList();
        _savedHistory.State.Keys = _keys.ToList();
        try
        {
            await _savedHistory.WriteStateAsync(cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            _historyDirty = true;
            LogHistoryFlushFailed(exception, _name);
        }
    }
}
