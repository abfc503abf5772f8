using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Orleans.Providers.Streams.Common;
using Realtime.Grains.Streaming;

namespace Realtime.Grains.Tests;

/// <summary>The push-based provider's queue and its long-poll reader, on their own.</summary>
public sealed class StreamQueueTests
{
    private static readonly TimeSpan ReadWait = TimeSpan.FromSeconds(1);
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly RealtimeQueues _queues = new(Options.Create(new RealtimeQueueOptions { QueueCount = 4, QueueCapacity = 16, ReadWait = ReadWait, MaxReadBatch = 10 }));

    [Fact]
    public async Task AReadReturnsWhatIsQueuedInOrderInBatchesWithGrowingTokens()
    {
        var stream = Stream("a");
        for (var i = 0; i < 15; i++)
        {
            _queues.Write(Item(stream, i));
        }

        var receiver = Receiver(stream);
        var first = await receiver.GetQueueMessagesAsync(32, CancellationToken.None);
        var second = await receiver.GetQueueMessagesAsync(32, CancellationToken.None);

        Assert.Equal(10, first.Count);
        Assert.Equal(5, second.Count);
        var all = first.Concat(second).ToList();
        Assert.Equal(Enumerable.Range(0, 15), all.Select(c => (int)c.GetEvents<object>().Single().Item1));
        var tokens = all.Select(c => ((EventSequenceTokenV2)c.SequenceToken).SequenceNumber).ToList();
        Assert.Equal(tokens.Order(), tokens);
        Assert.Equal(tokens.Count, tokens.Distinct().Count());
    }

    [Fact]
    public async Task AnIdleReadWaitsAndReturnsAtOnceWhenAnItemArrives()
    {
        var stream = Stream("b");
        var receiver = Receiver(stream);

        var read = receiver.GetQueueMessagesAsync(32, CancellationToken.None);
        Assert.False(read.IsCompleted, "an empty queue's read returned before anything arrived");
        _queues.Write(Item(stream, 7));

        var batch = await read.Within("the waiting read to return the new item");
        Assert.Equal(7, (int)batch.Single().GetEvents<object>().Single().Item1);
    }

    [Fact]
    public async Task AnIdleReadReturnsEmptyAtTheEndOfItsWaitWithoutThrowing()
    {
        var receiver = Receiver(Stream("c"));

        var read = receiver.GetQueueMessagesAsync(32, CancellationToken.None);
        _time.Advance(ReadWait - TimeSpan.FromMilliseconds(1));
        Assert.False(read.IsCompleted, "the read returned before its wait was over");
        _time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.Empty(await read.Within("the idle read to end"));
    }

    [Fact]
    public async Task CancellingAWaitingReadReturnsEmpty()
    {
        var receiver = Receiver(Stream("d"));
        using var shutdown = new CancellationTokenSource();

        var read = receiver.GetQueueMessagesAsync(32, shutdown.Token);
        await shutdown.CancelAsync();

        Assert.Empty(await read.Within("the cancelled read to end"));
    }

    [Fact]
    public async Task ShuttingTheReaderDownEndsItsWaitAndDropsWhatTheQueueHeld()
    {
        var stream = Stream("e");
        var receiver = Receiver(stream);
        var read = receiver.GetQueueMessagesAsync(32, CancellationToken.None);

        await receiver.Shutdown(TimeSpan.FromSeconds(5));
        Assert.Empty(await read.Within("the read to end at shutdown"));

        _queues.Write(Item(stream, 1));
        _queues.Write(Item(stream, 2));
        await Receiver(stream).Shutdown(TimeSpan.FromSeconds(5));
        var next = Receiver(stream);
        _queues.Write(Item(stream, 3));
        Assert.Equal([3], (await next.GetQueueMessagesAsync(32, CancellationToken.None)).Select(c => (int)c.GetEvents<object>().Single().Item1));
    }

    [Fact]
    public void AFullQueueRefusesTheItemWithAClearError()
    {
        var stream = Stream("f");
        for (var i = 0; i < 16; i++)
        {
            _queues.Write(Item(stream, i));
        }

        var error = Assert.Throws<RealtimeQueueFullException>(() => _queues.Write(Item(stream, 16)));
        Assert.Contains("is full (16 items)", error.Message, StringComparison.Ordinal);
        Assert.Contains(stream.ToString(), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryQueueHasOneOwnerAndALeavingSiloMovesOnlyItsOwnQueues()
    {
        var silos = Enumerable.Range(0, 3).Select(i => SiloAddress.New(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 11111 + i), 1)).ToArray();
        var queues = new RealtimeQueues(Options.Create(new RealtimeQueueOptions { QueueCount = 64 })).Queues;

        var before = queues.ToDictionary(q => q, q => QueueOwners.Owner(q, silos));
        var after = queues.ToDictionary(q => q, q => QueueOwners.Owner(q, silos[..2]));

        Assert.All(silos, silo => Assert.Contains(silo, before.Values));
        Assert.All(queues, q => Assert.True(before[q]!.Equals(silos[2]) || before[q]!.Equals(after[q]), $"{q} moved between two silos that stayed"));
        Assert.Null(QueueOwners.Owner(queues[0], []));
    }

    private static StreamId Stream(string key) => StreamId.Create("test", key);

    private static RealtimeBatchContainer Item(StreamId stream, int value) => new(stream, [value], null);

    private QueueReceiver Receiver(StreamId stream)
        => new(_queues.Mapper.GetQueueForStream(stream), _queues, new RealtimeQueueOptions { ReadWait = ReadWait, MaxReadBatch = 10 }, _time, NullLogger.Instance);
}
