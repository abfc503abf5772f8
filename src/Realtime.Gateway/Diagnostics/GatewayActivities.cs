using System.Diagnostics;

namespace Realtime.Gateway.Diagnostics;

/// <summary>
/// The gateway's spans, on <see cref="SourceName"/>: a connection's accept and registration, each
/// inbound frame, and each room push written to local members, a child of the room's publish (whose
/// context the push carries), so one trace shows gateway, grains and the gateways that deliver.
/// </summary>
internal static class GatewayActivities
{
    /// <summary>The activity source's name, for listeners and exporters.</summary>
    public const string SourceName = "Realtime.Gateway";

    public static readonly ActivitySource Source = new(SourceName);

    public static Activity? StartConnect(string path)
    {
        var activity = Source.StartActivity("realtime.connect", ActivityKind.Server);
        activity?.SetTag("realtime.path", path);
        return activity;
    }

    public static Activity? StartFrame(string? type, string? action, string clientId)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        var activity = Source.StartActivity("realtime.frame", ActivityKind.Server);
        activity?.SetTag("realtime.type", type);
        activity?.SetTag("realtime.action", action);
        activity?.SetTag("realtime.client_id", clientId);
        return activity;
    }

    /// <summary>A room push written to this gateway's members, under the publish that <paramref name="traceParent"/> names.</summary>
    public static Activity? StartDelivery(string room, long seq, string? traceParent)
    {
        if (traceParent is null || !Source.HasListeners() || !ActivityContext.TryParse(traceParent, null, out var parent))
        {
            return null;
        }

        var activity = Source.StartActivity("realtime.deliver", ActivityKind.Consumer, parent);
        activity?.SetTag("realtime.room", room);
        activity?.SetTag("realtime.seq", seq);
        return activity;
    }
}
