using System.Collections.Concurrent;
using Realtime.Delivery;

namespace Realtime.Gateway.Connections;

/// <summary>The connections this gateway holds, by client id.</summary>
internal sealed class ConnectionTable
{
    private readonly ConcurrentDictionary<string, Connection> _connections = new(StringComparer.Ordinal);

    public int Count => _connections.Count;

    public void Add(Connection connection) => _connections[connection.ClientId] = connection;

    public void Remove(Connection connection) => _connections.TryRemove(new KeyValuePair<string, Connection>(connection.ClientId, connection));

    public bool TryGet(string clientId, out Connection connection) => _connections.TryGetValue(clientId, out connection!);

    /// <summary>Walks the table without copying it; connections added or removed meanwhile may or may not be seen.</summary>
    public IEnumerable<Connection> All
    {
        get
        {
            foreach (var pair in _connections)
            {
                yield return pair.Value;
            }
        }
    }

    /// <summary>Closes the command's connections here, after what is already queued for them.</summary>
    public void Apply(DisconnectCommand command)
    {
        foreach (var clientId in command.ClientIds)
        {
            if (TryGet(clientId, out var connection))
            {
                // A disconnect ends the session; a resume elsewhere has taken it already.
                connection.DisconnectedByServer = true;
                connection.Close(command.CloseCode, command.Reason, flush: true);
            }
        }
    }

    /// <summary>Gives the share's connections here their share of their user's budget.</summary>
    public void Apply(UserRateShare share)
    {
        foreach (var clientId in share.ClientIds)
        {
            if (TryGet(clientId, out var connection))
            {
                connection.ApplyUserShare(share.FramesPerSecond, share.BytesPerSecond);
            }
        }
    }
}
