using System.Diagnostics.Metrics;

namespace Realtime.Gateway.Diagnostics;

/// <summary>
/// The gateway's meter, <see cref="MeterName"/>: open connections, connects and disconnects (by close
/// code), frames and bytes in, rate-limited frames, slow-consumer cuts. Names follow the OpenTelemetry
/// conventions (<c>realtime.connections</c>, with units), so Prometheus shows them as <c>realtime_…</c>.
/// </summary>
internal sealed class GatewayMetrics
{
    /// <summary>The meter's name, for listeners and exporters.</summary>
    public const string MeterName = "Realtime.Gateway";

    private const string PathTag = "realtime.path";
    private const string CloseCodeTag = "realtime.close_code";
    private const string LimitTag = "realtime.limit";

    private readonly UpDownCounter<long> _open;
    private readonly Counter<long> _opened;
    private readonly Counter<long> _closed;
    private readonly Counter<long> _framesIn;
    private readonly Counter<long> _bytesIn;
    private readonly Counter<long> _rateLimited;
    private readonly Counter<long> _slowConsumerCuts;

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

    public void RateLimited(string limit) => _rateLimited.Add(1, new KeyValuePair<string, object?>(LimitTag, limit));
}
