using System.Diagnostics.Metrics;

namespace Realtime.Gateway.Diagnostics;

/// <summary>
/// The gateway's meter, <see cref="MeterName"/>: open connections, connects and disconnects (by close
/// code), frames and bytes in and out, deliveries, send-queue bytes, publish-to-delivery latency,
/// rate-limited frames, slow-consumer cuts, recoveries, resyncs and gap repairs. Names follow the
/// OpenTelemetry conventions (<c>realtime.connections</c>, with units), so Prometheus shows them as <c>realtime_…</c>.
/// </summary>
internal sealed class GatewayMetrics
{
    /// <summary>The meter's name, for listeners and exporters.</summary>
    public const string MeterName = "Realtime.Gateway";

    private const string PathTag = "realtime.path";
    private const string CloseCodeTag = "realtime.close_code";
    private const string LimitTag = "realtime.limit";

    private static readonly InstrumentAdvice<long> s_queueBuckets = new()
    {
        HistogramBucketBoundaries = [0, 256, 1024, 4096, 16_384, 65_536, 262_144, 1_048_576, 4_194_304, 16_777_216],
    };

    private readonly UpDownCounter<long> _open;
    private readonly Counter<long> _opened;
    private readonly Counter<long> _closed;
    private readonly Counter<long> _framesIn;
    private readonly Counter<long> _bytesIn;
    private readonly Counter<long> _rateLimited;
    private readonly Counter<long> _slowConsumerCuts;
    private readonly Counter<long> _framesOut;
    private readonly Counter<long> _bytesOut;
    private readonly Counter<long> _deliveries;
    private readonly Histogram<long> _sendQueue;
    private readonly Histogram<double> _latency;
    private readonly Counter<long> _recoveries;
    private readonly Counter<long> _resyncs;
    private readonly Counter<long> _gapRepairs;

    public GatewayMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _open = meter.CreateUpDownCounter<long>("realtime.connections", "{connection}", "Open WebSocket connections, by endpoint path.");
        _opened = meter.CreateCounter<long>("realtime.connections.opened", "{connection}", "Connections registered in the cluster, by endpoint path.");
        _closed = meter.CreateCounter<long>("realtime.connections.closed", "{connection}", "Connections that ended, by endpoint path and close code.");
        _framesIn = meter.CreateCounter<long>("realtime.frames.received", "{frame}", "Frames received from clients.");
        _bytesIn = meter.CreateCounter<long>("realtime.bytes.received", "By", "Bytes of frames received from clients.");
        _rateLimited = meter.CreateCounter<long>("realtime.frames.rate_limited", "{frame}", "Frames dropped with RATE_LIMIT, by the limit they broke (frames or bytes).");
        _slowConsumerCuts = meter.CreateCounter<long>("realtime.connections.slow_consumer_cuts", "{connection}", "Connections closed with 4001 because they did not read.");
        _framesOut = meter.CreateCounter<long>("realtime.frames.sent", "{frame}", "Frames written to client sockets.");
        _bytesOut = meter.CreateCounter<long>("realtime.bytes.sent", "By", "Bytes of frames written to client sockets.");
        _deliveries = meter.CreateCounter<long>("realtime.deliveries", "{delivery}", "Pushes queued to local connections, by target (room, connections, rooms, everyone, path).");
        _sendQueue = meter.CreateHistogram("realtime.send_queue.size", "By", "Bytes queued for a socket when its writer starts a run of writes.", advice: s_queueBuckets);
        _latency = meter.CreateHistogram("realtime.delivery.latency", "s", "From a room's publish (its timestamp) to the push's write to a member's socket.", advice: RealtimeMetricBuckets.Seconds);
        _recoveries = meter.CreateCounter<long>("realtime.recoveries", "{join}", "Joins that asked for what was missed, by whether all of it was recovered.");
        _resyncs = meter.CreateCounter<long>("realtime.rooms.resyncs", "{push}", "resync pushes sent to a room's local members, by reason (new_epoch, lost).");
        _gapRepairs = meter.CreateCounter<long>("realtime.rooms.gap_repairs", "{gap}", "Seq gaps in a room's pushes, by outcome (repaired from history, or not).");
    }

    public void Opened(string path)
    {
        var tag = new KeyValuePair<string, object?>(PathTag, path);
        _open.Add(1, tag);
        _opened.Add(1, tag);
    }

    /// <summary>A session that was <see cref="Opened"/> ended with <paramref name="closeCode"/>.</summary>
    public void Closed(string path, int closeCode)
    {
        _open.Add(-1, new KeyValuePair<string, object?>(PathTag, path));
        _closed.Add(1, new KeyValuePair<string, object?>(PathTag, path), new KeyValuePair<string, object?>(CloseCodeTag, closeCode));
        if (closeCode == Protocol.CloseCodes.SlowConsumer)
        {
            _slowConsumerCuts.Add(1);
        }
    }

    public void Received(int bytes)
    {
        _framesIn.Add(1);
        _bytesIn.Add(bytes);
    }

    /// <summary>A run of socket writes ended, having written <paramref name="frames"/> frames of <paramref name="bytes"/> bytes.</summary>
    public void Sent(long frames, long bytes)
    {
        if (frames > 0)
        {
            _framesOut.Add(frames);
            _bytesOut.Add(bytes);
        }
    }

    /// <summary>A socket's writer started a run with <paramref name="queued"/> bytes waiting.</summary>
    public void Backlog(long queued) => _sendQueue.Record(queued);

    /// <summary>A room push published at <paramref name="publishedTicks"/> (UTC) was written to a member's socket.</summary>
    public void Delivered(long publishedTicks)
        => _latency.Record(Math.Max(0, DateTime.UtcNow.Ticks - publishedTicks) / (double)TimeSpan.TicksPerSecond);

    public void Delivered(string target, int connections)
    {
        if (connections > 0)
        {
            _deliveries.Add(connections, new KeyValuePair<string, object?>("realtime.target", target));
        }
    }

    public void Recovery(bool recovered) => _recoveries.Add(1, new KeyValuePair<string, object?>("realtime.recovered", recovered));

    public void Resync(bool newEpoch, int members) => _resyncs.Add(members, new KeyValuePair<string, object?>("realtime.reason", newEpoch ? "new_epoch" : "lost"));

    public void GapRepair(bool repaired) => _gapRepairs.Add(1, new KeyValuePair<string, object?>("realtime.outcome", repaired ? "repaired" : "unrepairable"));

    public void RateLimited(string limit) => _rateLimited.Add(1, new KeyValuePair<string, object?>(LimitTag, limit));
}
