namespace Realtime.Grains.Events;

/// <summary>
/// Code around a subscriber's handler. <see cref="InvokeAsync"/> calls <c>next</c> to go on (the next
/// middleware, then the handler), or not, to skip it; it may call it again (retry) or catch what it throws.
/// </summary>
public abstract class SubscriberMiddleware
{
    /// <summary>Runs around the subscriber: call <paramref name="next"/> to go on, or return without calling it to stop the event here.</summary>
    public abstract Task InvokeAsync(RealtimeEventContext context, Func<Task> next);
}
