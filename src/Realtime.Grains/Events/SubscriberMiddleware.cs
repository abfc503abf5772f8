using Realtime.Events;

namespace Realtime.Grains.Events;

/// <summary>
/// Code around a subscriber's handler. <see cref="InvokeAsync"/> calls <c>next</c> to go on (the next
/// middleware, then the handler), or not, to skip it; it may call it again (retry) or catch what it throws.
/// </summary>
public abstract class SubscriberMiddleware
{
    public abstract Task InvokeAsync(RealtimeEventContext context, Func<Task> next);
}
