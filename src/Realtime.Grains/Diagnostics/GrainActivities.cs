using System.Diagnostics;

namespace Realtime.Grains.Diagnostics;

/// <summary>
/// The grains' spans, on <see cref="SourceName"/>: application handler calls and room publishes,
/// under the grain call that Orleans' activity propagation continues from the gateway.
/// </summary>
internal static class GrainActivities
{
    /// <summary>The activity source's name, for listeners and exporters.</summary>
    public const string SourceName = "Realtime.Grains";

    public static readonly ActivitySource Source = new(SourceName);

    public static Activity? StartHandler(string type, string action)
    {
        var activity = Source.StartActivity("realtime.handler", ActivityKind.Internal);
        activity?.SetTag("realtime.type", type);
        activity?.SetTag("realtime.action", action);
        return activity;
    }

    public static Activity? StartPublish(string room)
    {
        var activity = Source.StartActivity("realtime.publish", ActivityKind.Producer);
        activity?.SetTag("realtime.room", room);
        return activity;
    }

    /// <summary>Marks <paramref name="activity"/> failed with <paramref name="errorCode"/>, when there is one.</summary>
    public static void Failed(Activity? activity, string? errorCode)
    {
        if (activity is not null && errorCode is not null)
        {
            activity.SetStatus(ActivityStatusCode.Error, errorCode);
            activity.SetTag("realtime.code", errorCode);
        }
    }
}
