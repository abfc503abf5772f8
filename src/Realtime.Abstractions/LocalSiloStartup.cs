namespace Realtime;

/// <summary>
/// In a process that hosts a silo, completes when that silo is an active member of its cluster: code
/// that starts beside the silo (an embedded gateway) waits for it instead of calling grains that
/// cannot be placed yet. Registered by the silo side; absent in a process that is only a client.
/// </summary>
public sealed class LocalSiloStartup
{
    private readonly TaskCompletionSource _active = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once the local silo is active.</summary>
    public Task Active => _active.Task;

    /// <summary>Called by the silo's lifecycle when it becomes active.</summary>
    public void MarkActive() => _active.TrySetResult();
}
