using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Channels;

namespace Realtime.Grains.Tests;

/// <summary>What subscribers did, shared by every silo of an in-process cluster: awaitable, in order.</summary>
public sealed class EventRecorder
{
    private readonly Channel<Record> _records = Channel.CreateUnbounded<Record>();

    public ConcurrentQueue<Record> All { get; } = new();

    public void Add(string what, string channel, string? eventId = null)
    {
        var record = new Record(what, channel, eventId, Stopwatch.GetTimestamp());
        All.Enqueue(record);
        _records.Writer.TryWrite(record);
    }

    public Task<Record> NextAsync(string what) => _records.Reader.ReadAsync().AsTask().Within(what);

    /// <summary>Waits until <paramref name="count"/> records match.</summary>
    public Task WaitForAsync(Func<Record, bool> match, int count, string what)
        => TestWait.Until(() => Task.FromResult(All.Count(match) >= count), what);

    public sealed record Record(string What, string Channel, string? EventId, long Timestamp);
}
