using System.Diagnostics;
using HdrHistogram;

namespace Realtime.Benchmarks.Load;

/// <summary>
/// One measured stretch of traffic. Pushes carry the phase's id, so a late push of an earlier phase
/// is not counted; latencies go to one histogram (microseconds).
/// </summary>
internal sealed class Phase(int id)
{
    private static int s_nextId;

    public int Id { get; } = id;

    public LongConcurrentHistogram Latency { get; } = new(1, 60_000_000, 3);

    public static Phase Next() => new(Interlocked.Increment(ref s_nextId));

    public void Record(long timestamp)
    {
        var micros = (Stopwatch.GetTimestamp() - timestamp) * 1_000_000 / Stopwatch.Frequency;
        Latency.RecordValue(Math.Clamp(micros, 1, 60_000_000));
    }

    public double PercentileMs(double percentile) => Latency.TotalCount == 0 ? double.NaN : Latency.GetValueAtPercentile(percentile) / 1000.0;

    public double MaxMs => Latency.TotalCount == 0 ? double.NaN : Latency.GetMaxValue() / 1000.0;
}

/// <summary>Traffic whose deliveries a measurement counts: started for a phase, stopped, drained.</summary>
internal interface ILoad
{
    long Sent { get; }

    long Delivered { get; }

    /// <summary>Deliveries that never came: publishes refused or unanswered, and pushes missing.</summary>
    long Lost { get; }

    /// <summary>Every publish answered and every push of an acknowledged publish received.</summary>
    bool Drained { get; }

    void Start(Phase phase, int? window);

    void Stop();
}

/// <summary>
/// A room with one publisher and the members that receive its pushes (everyone but the publisher).
/// Flat out, the publisher may have <c>window</c> messages not yet delivered to every member.
/// </summary>
internal sealed class Group : ILoad
{
    private Phase? _phase;
    private long _delivered;
    private long _acked;
    private long _failed;

    public Group(string room, BenchConnection publisher, IReadOnlyList<BenchConnection> receivers)
    {
        Room = room;
        Publisher = publisher;
        Receivers = receivers;
        publisher.Acked = ok =>
        {
            if (ok)
            {
                Interlocked.Increment(ref _acked);
            }
            else
            {
                Interlocked.Increment(ref _failed);
            }
        };
        foreach (var receiver in receivers)
        {
            receiver.Pushed = OnPush;
        }
    }

    public string Room { get; }

    public BenchConnection Publisher { get; }

    public IReadOnlyList<BenchConnection> Receivers { get; }

    public int Fanout => Receivers.Count;

    public long Sent { get; private set; }

    public long Delivered => Interlocked.Read(ref _delivered);

    public long Acked => Interlocked.Read(ref _acked);

    public long Failed => Interlocked.Read(ref _failed);

    public SemaphoreSlim? Window { get; private set; }

    public bool Drained => Acked + Failed == Sent && Delivered >= Acked * Fanout;

    /// <summary>Deliveries that never came: publishes refused or unanswered, and pushes missing.</summary>
    public long Lost => ((Sent - Acked) * Fanout) + Math.Max(0, (Acked * Fanout) - Delivered);

    public void Start(Phase phase, int? window)
    {
        Window?.Dispose();
        Window = window is { } w ? new SemaphoreSlim(w) : null;
        Sent = 0;
        Interlocked.Exchange(ref _delivered, 0);
        Interlocked.Exchange(ref _acked, 0);
        Interlocked.Exchange(ref _failed, 0);
        Volatile.Write(ref _phase, phase);
    }

    public void Stop() => Volatile.Write(ref _phase, null);

    public Task PublishAsync(Phase phase)
    {
        Sent++;
        return Publisher.SendAsync(Publisher.Wire.Publish(Room, Publisher.NextId(), Stopwatch.GetTimestamp(), phase.Id));
    }

    private void OnPush(long timestamp, int phaseId)
    {
        var phase = Volatile.Read(ref _phase);
        if (phase is null || phase.Id != phaseId)
        {
            return;
        }

        phase.Record(timestamp);
        if (Interlocked.Increment(ref _delivered) % Fanout == 0)
        {
            Window?.Release();
        }
    }
}

/// <summary>
/// One room whose every member publishes and receives everyone else's pushes: the ceiling of one
/// room's actor. Flat out, each member may have <c>window</c> publishes not yet answered.
/// </summary>
internal sealed class HotRoom : ILoad
{
    private readonly SemaphoreSlim[] _windows;
    private Phase? _phase;
    private long _sent;
    private long _delivered;
    private long _acked;
    private long _failed;

    public HotRoom(string room, IReadOnlyList<BenchConnection> members, int window)
    {
        Room = room;
        Members = members;
        _windows = [.. members.Select(_ => new SemaphoreSlim(window))];
        for (var i = 0; i < members.Count; i++)
        {
            var own = _windows[i];
            members[i].Acked = ok =>
            {
                Interlocked.Increment(ref ok ? ref _acked : ref _failed);
                own.Release();
            };
            members[i].Pushed = OnPush;
        }
    }

    public string Room { get; }

    public IReadOnlyList<BenchConnection> Members { get; }

    private int Fanout => Members.Count - 1;

    public long Sent => Interlocked.Read(ref _sent);

    public long Delivered => Interlocked.Read(ref _delivered);

    public long Lost => ((Sent - Interlocked.Read(ref _acked)) * Fanout) + Math.Max(0, (Interlocked.Read(ref _acked) * Fanout) - Delivered);

    public bool Drained => Interlocked.Read(ref _acked) + Interlocked.Read(ref _failed) == Sent && Delivered >= Interlocked.Read(ref _acked) * Fanout;

    public void Start(Phase phase, int? window)
    {
        Interlocked.Exchange(ref _sent, 0);
        Interlocked.Exchange(ref _delivered, 0);
        Interlocked.Exchange(ref _acked, 0);
        Interlocked.Exchange(ref _failed, 0);
        Volatile.Write(ref _phase, phase);
    }

    public void Stop() => Volatile.Write(ref _phase, null);

    /// <summary>Every member publishes as fast as its window allows until <paramref name="deadline"/> (a timestamp).</summary>
    public Task FlatOutAsync(Phase phase, long deadline)
        => Task.WhenAll(Members.Select(async (member, i) =>
        {
            while (Stopwatch.GetTimestamp() < deadline)
            {
                if (await _windows[i].WaitAsync(TimeSpan.FromMilliseconds(100)))
                {
                    Interlocked.Increment(ref _sent);
                    await member.SendAsync(member.Wire.Publish(Room, member.NextId(), Stopwatch.GetTimestamp(), phase.Id));
                }
            }
        }));

    private void OnPush(long timestamp, int phaseId)
    {
        var phase = Volatile.Read(ref _phase);
        if (phase is not null && phase.Id == phaseId)
        {
            phase.Record(timestamp);
            Interlocked.Increment(ref _delivered);
        }
    }
}
