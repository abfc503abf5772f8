using Realtime.Rooms;

namespace Realtime.Grains.Rooms;

/// <summary>
/// The room's history: what a join with <c>since</c> recovers, and its write-behind to storage
/// (behind the live history by at most <see cref="RoomOptions.HistoryFlushInterval"/>).
/// </summary>
internal sealed partial class RoomGrain
{
    public Task<RoomHistorySlice> GetHistory(long afterSeq)
    {
        _history.Evict(_time.GetUtcNow().UtcTicks);
        var (entries, complete) = _history.After(afterSeq, _seq);
        return Task.FromResult(new RoomHistorySlice(
            _seq,
            State.Epoch,
            complete,
            entries.Select(e => e.Seq).ToArray(),
            entries.Select(e => e.Frame).ToArray(),
            entries.Select(e => e.Exclude).ToArray(),
            entries.Select(e => e.Filter).ToArray()));
    }

    private RoomJoinResult Recover(long? since, string? epoch, string clientId, IReadOnlyDictionary<string, string>? metadata)
    {
        if (since is not { } after || (epoch is not null && epoch != State.Epoch) || after > _seq)
        {
            return new RoomJoinResult(_seq, State.Epoch, Recovered: false, []);
        }

        _history.Evict(_time.GetUtcNow().UtcTicks);
        var (all, complete) = _history.After(after, _seq);

        // Pushes that were not for this connection (its own without echo, filtered away) are not missed.
        var entries = all.Where(e => e.IsFor(clientId, metadata)).ToList();

        // A recovery larger than the bound keeps its newest pushes and says that some were lost.
        var bytes = 0L;
        var first = entries.Count;
        while (first > 0 && bytes + entries[first - 1].Frame.Length <= _options.MaxRecoveryBytes)
        {
            bytes += entries[--first].Frame.Length;
        }

        return new RoomJoinResult(_seq, State.Epoch, complete && first == 0, entries.Skip(first).Select(e => e.Frame).ToArray());
    }

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
