namespace Realtime.Grains;

/// <summary>Completes <see cref="LocalSiloStartup.Active"/> when the silo's lifecycle reaches its active stage.</summary>
internal sealed class LocalSiloStartupParticipant(LocalSiloStartup startup) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle)
        => lifecycle.Subscribe(nameof(LocalSiloStartupParticipant), ServiceLifecycleStage.Active, _ =>
        {
            startup.MarkActive();
            return Task.CompletedTask;
        });
}
