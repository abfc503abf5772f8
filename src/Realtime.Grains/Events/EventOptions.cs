namespace Realtime.Grains.Events;

/// <summary>How events are handled. Section <c>Realtime:Events</c>.</summary>
public sealed class EventOptions
{
    /// <summary>How long one subscriber may take with one event (all its attempts) before it is abandoned and logged. Default 30 s.</summary>
    public TimeSpan SubscriberTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long one <see cref="RealtimeHooks"/> call may take before it is abandoned and logged. Default 10 s.</summary>
    public TimeSpan HookTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
