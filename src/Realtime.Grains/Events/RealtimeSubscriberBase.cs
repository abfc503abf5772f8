namespace Realtime.Grains.Events;

/// <summary>
/// A subscriber written as a class: override what it takes and <see cref="HandleAsync"/>. One
/// instance serves every event, built with the silo's services.
/// </summary>
public abstract class RealtimeSubscriberBase
{
    /// <summary>The name (default: the class name).</summary>
    public virtual string Name => GetType().Name;

    /// <summary>What it does.</summary>
    public virtual string? Description => null;

    /// <summary>The channels it takes.</summary>
    public abstract ChannelMatch Match { get; }

    /// <summary>Higher runs first. Default 0.</summary>
    public virtual int Priority => 0;

    /// <summary>Middleware around <see cref="HandleAsync"/>, outermost first.</summary>
    public virtual IReadOnlyList<SubscriberMiddleware> Middleware => [];

    /// <summary>Runs before the handler; false skips it.</summary>
    public virtual ValueTask<bool> OnBeforeAsync(RealtimeEventContext context) => ValueTask.FromResult(true);

    /// <summary>Runs after the handler succeeded.</summary>
    public virtual ValueTask OnAfterAsync(RealtimeEventContext context) => ValueTask.CompletedTask;

    /// <summary>Runs when the handler threw; true suppresses the error.</summary>
    public virtual ValueTask<bool> OnErrorAsync(RealtimeEventContext context, Exception exception) => ValueTask.FromResult(false);

    /// <summary>Handles one event.</summary>
    public abstract Task HandleAsync(RealtimeEventContext context);

    internal RealtimeSubscriber ToSubscriber() => new()
    {
        Name = Name,
        Description = Description,
        Match = Match,
        Priority = Priority,
        Handler = HandleAsync,
        OnBefore = OnBeforeAsync,
        OnAfter = OnAfterAsync,
        OnError = OnErrorAsync,
        Middleware = Middleware,
    };
}
