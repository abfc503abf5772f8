using System.Diagnostics.Metrics;

namespace Realtime.Grains.Diagnostics;

/// <summary>
/// The silo's meter, <see cref="MeterName"/>: the rooms and online users active on this silo, and
/// application handlers' duration and errors by route and code. Exported with the gateway's
/// (<c>realtime_…</c> in Prometheus).
/// </summary>
internal sealed class GrainMetrics
{
    /// <summary>The meter's name, for listeners and exporters.</summary>
    public const string MeterName = "Realtime.Grains";

    private const string RouteTag = "realtime.route";
    private const string CodeTag = "realtime.code";

    private readonly UpDownCounter<long> _rooms;
    private readonly UpDownCounter<long> _onlineUsers;
    private readonly Histogram<double> _handlerDuration;
    private readonly Counter<long> _handlerErrors;

    public GrainMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _rooms = meter.CreateUpDownCounter<long>("realtime.rooms", "{room}", "Rooms active on this silo.");
        _onlineUsers = meter.CreateUpDownCounter<long>("realtime.users.online", "{user}", "Online users (a connection, or within the offline grace period) whose presence is on this silo.");
        _handlerDuration = meter.CreateHistogram("realtime.handler.duration", "s", "Application handler calls, by route (type/action) and outcome code (ok, or the error code).", advice: RealtimeMetricBuckets.Seconds);
        _handlerErrors = meter.CreateCounter<long>("realtime.handler.errors", "{call}", "Application handler calls that answered an error, by route and code.");
    }

    public void RoomActivated() => _rooms.Add(1);

    public void RoomDeactivated() => _rooms.Add(-1);

    public void OnlineUsers(int change) => _onlineUsers.Add(change);

    /// <summary>A handler call for <paramref name="route"/> (null for one that matched no handler, kept under one tag value) ended with <paramref name="errorCode"/>.</summary>
    public void Handled(string? route, string? errorCode, TimeSpan elapsed)
    {
        var routeTag = new KeyValuePair<string, object?>(RouteTag, route ?? "(unknown)");
        var codeTag = new KeyValuePair<string, object?>(CodeTag, errorCode ?? "ok");
        _handlerDuration.Record(elapsed.TotalSeconds, routeTag, codeTag);
        if (errorCode is not null)
        {
            _handlerErrors.Add(1, routeTag, codeTag);
        }
    }
}
