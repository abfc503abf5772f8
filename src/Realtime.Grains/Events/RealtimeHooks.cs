using Realtime.Connections;

namespace Realtime.Grains.Events;

/// <summary>
/// Application code the silo calls on connections' lifecycle: override what you need, register with
/// <c>services.AddRealtimeHooks&lt;T&gt;()</c>. Hooks run in the connection's grain, in order, within
/// <see cref="EventOptions.HookTimeout"/>; one that throws is logged and changes nothing.
/// </summary>
public abstract class RealtimeHooks
{
    /// <summary>A connection was registered.</summary>
    public virtual Task OnConnectedAsync(ClientInfo client, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>A connection was unregistered (it closed, or its gateway died).</summary>
    public virtual Task OnDisconnectedAsync(ClientInfo client, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>An application frame arrived, before its handler runs.</summary>
    public virtual Task OnMessageAsync(MessageInfo message, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>A frame's handler failed, timed out or refused it.</summary>
    public virtual Task OnErrorAsync(MessageInfo message, string code, string error, CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>An application frame: who sent it, its type, action and data (JSON text, empty for none).</summary>
public sealed record MessageInfo(string ClientId, string? UserId, string Type, string Action, ReadOnlyMemory<byte> Data);
