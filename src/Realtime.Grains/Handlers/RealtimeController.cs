using Realtime.Api;

namespace Realtime.Grains.Handlers;

/// <summary>
/// A base for controller-style handlers: each public method is an action of the controller's type.
/// A new instance serves each frame, with its constructor's services from the silo.
/// </summary>
public abstract class RealtimeController
{
    /// <summary>The frame being handled.</summary>
    public HandlerContext Context { get; internal set; } = null!;

    /// <summary>Push to rooms, users, one client or all.</summary>
    protected IRealtime Realtime => Context.Realtime;

    /// <summary>The connection's id.</summary>
    protected string ClientId => Context.ClientId;

    /// <summary>The connection's user, or null when anonymous.</summary>
    protected string? UserId => Context.UserId;
}
