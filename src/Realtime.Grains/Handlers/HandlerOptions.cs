using System.Text.Json;
using Realtime.Protocol;

namespace Realtime.Grains.Handlers;

/// <summary>How handlers run. Section <c>Realtime:Handlers</c>.</summary>
public sealed class HandlerOptions
{
    /// <summary>How long a handler may run before the client gets <c>TIMEOUT</c>. Default 10 s.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long a handler past its time limit is given to stop once cancelled, before the
    /// connection's next frame may run beside it. Default 1 s.
    /// </summary>
    public TimeSpan CancellationGrace { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How <c>data</c> is bound to typed parameters and return values are written. Default: camelCase web defaults, with constructor parameters without defaults and non-nullable references required.</summary>
    public JsonSerializerOptions JsonSerializerOptions { get; set; } = RealtimeJson.HandlerDataOptions;
}
