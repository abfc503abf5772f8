using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Realtime.Registry;

namespace Realtime.Grains.Registry;

/// <summary>
/// One gateway's connections. Updates arrive in batches and are written behind (every
/// <see cref="GatewayRegistryOptions.IndexFlushInterval"/>), so a busy gateway costs a write every so often,
/// not one per connection.
/// </summary>
internal sealed partial class GatewayConnectionsGrain(
    [PersistentState("gatewayConnections", RealtimeStorage.Name)] IPersistentState<GatewayConnectionsState> state,
    IOptions<GatewayRegistryOptions> options,
    SiloShutdown shutdown,
    ILogger<GatewayConnectionsGrain> logger)
    : Grain, IGatewayConnectionsGrain
{
    private readonly GatewayRegistryOptions _options = options.Value;
    private bool _dirty;
    private IGrainTimer? _flush;

    private HashSet<string> ClientIds => state.State.ClientIds;

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (shutdown.StateDiesWith(reason))
        {
            return;
        }

        try
        {
            await Flush();
        }
        catch (Exception exception)
        {
            LogFlushFailed(exception, this.GetPrimaryKeyString());
        }
    }

    public Task Update(string[] added, string[] removed)
    {
        foreach (var clientId in removed)
        {
            _dirty |= ClientIds.Remove(clientId);
        }

        foreach (var clientId in added)
        {
            _dirty |= ClientIds.Add(clientId);
        }

        ScheduleFlush();
        return Task.CompletedTask;
    }

    public Task Reset(string[] clientIds)
    {
        state.State.ClientIds = new HashSet<string>(clientIds, StringComparer.Ordinal);
        _dirty = true;
        ScheduleFlush();
        return Task.CompletedTask;
    }

    public async Task<int> Reap()
    {
        var clientIds = ClientIds.ToArray();
        if (clientIds.Length > 0)
        {
            LogReaping(this.GetPrimaryKeyString(), clientIds.Length);
        }

        // As if each connection had dropped: its session waits for a resume, then leaves its rooms and presence and runs its hooks.
        foreach (var chunk in clientIds.Chunk(64))
        {
            await Task.WhenAll(chunk.Select(async clientId =>
            {
                try
                {
                    await GrainFactory.GetClientGrain(clientId).Lost(this.GetPrimaryKeyString());
                }
                catch (Exception exception)
                {
                    LogDisconnectFailed(exception, clientId);
                }
            }));
        }

        _flush?.Dispose();
        _flush = null;
        _dirty = false;
        state.State.ClientIds.Clear();
        if (state.RecordExists)
        {
            await state.ClearStateAsync();
        }

        DeactivateOnIdle();
        return clientIds.Length;
    }

    public Task<int> Count() => Task.FromResult(ClientIds.Count);

    private void ScheduleFlush()
        => _flush ??= this.RegisterGrainTimer(
            static (grain, _) => grain.OnFlushTimer(),
            this,
            new GrainTimerCreationOptions(_options.IndexFlushInterval, _options.IndexFlushInterval));

    private async Task OnFlushTimer()
    {
        if (!_dirty)
        {
            _flush?.Dispose();
            _flush = null;
            return;
        }

        try
        {
            await Flush();
        }
        catch (Exception exception)
        {
            LogFlushFailed(exception, this.GetPrimaryKeyString());
        }
    }

    private async Task Flush()
    {
        if (_dirty)
        {
            _dirty = false;
            try
            {
                await state.WriteStateAsync();
            }
            catch
            {
                _dirty = true;
                throw;
            }
        }
    }

    [LoggerMessage(EventId = 1600, Level = LogLevel.Warning, Message = "Gateway {GatewayId} left {Count} connections registered (gone without a goodbye, or its goodbye did not reach them all): unregistering them.")]
    private partial void LogReaping(string gatewayId, int count);

    [LoggerMessage(EventId = 1601, Level = LogLevel.Warning, Message = "Could not unregister connection {ClientId} of a dead gateway.")]
    private partial void LogDisconnectFailed(Exception exception, string clientId);

    [LoggerMessage(EventId = 1602, Level = LogLevel.Warning, Message = "The connection list of gateway {GatewayId} could not be written; trying again.")]
    private partial void LogFlushFailed(Exception exception, string gatewayId);
}
