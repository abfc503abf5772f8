using Realtime.Hosting;

namespace Realtime.Presence;

/// <summary>A user's connections across gateways. Not reentrant: adds and removes are applied in order.</summary>
internal sealed class UserPresenceGrain(
    [PersistentState("presence", RealtimeStorage.Name)] IPersistentState<UserPresenceGrainState> state)
    : Grain, IUserPresenceGrain
{
    private Dictionary<string, UserConnection> Connections => state.State.Connections;

    public async Task AddConnection(UserConnection connection)
    {
        if (Connections.TryGetValue(connection.ClientId, out var existing) && existing == connection)
        {
            return;
        }

        Connections[connection.ClientId] = connection;
        await state.WriteStateAsync();
    }

    public async Task<bool> RemoveConnection(string clientId)
    {
        if (!Connections.Remove(clientId))
        {
            return false;
        }

        if (Connections.Count == 0)
        {
            await state.ClearStateAsync();
            DeactivateOnIdle();
        }
        else
        {
            await state.WriteStateAsync();
        }

        return true;
    }

    public Task<UserConnection[]> GetConnections() => Task.FromResult(Connections.Values.ToArray());

    public Task<bool> IsOnline() => Task.FromResult(Connections.Count > 0);
}
