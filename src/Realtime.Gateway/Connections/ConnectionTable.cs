using System.Collections.Concurrent;

namespace Realtime.Gateway.Connections;

/// <summary>The connections this gateway holds, by client id.</summary>
internal sealed class ConnectionTable
{
    private readonly ConcurrentDictionary<string, Connection> _connections = new(StringComparer.Ordinal);
    private readonly Dictionary<string, bool> _changes = new(StringComparer.Ordinal);

    public int Count => _connections.Count;

    public void Add(Connection connection)
    {
        _connections[connection.ClientId] = connection;
        Changed(connection.ClientId, added: true);
    }

    public void Remove(Connection connection)
    {
        if (_connections.TryRemove(new KeyValuePair<string, Connection>(connection.ClientId, connection)))
        {
            Changed(connection.ClientId, added: false);
        }
    }

    /// <summary>The connections opened and closed since the last call (the last change of each wins).</summary>
    public (string[] Added, string[] Removed) TakeChanges()
    {
        lock (_changes)
        {
            var added = _changes.Where(c => c.Value).Select(c => c.Key).ToArray();
            var removed = _changes.Where(c => !c.Value).Select(c => c.Key).ToArray();
            _changes.Clear();
            return (added, removed);
        }
    }

    /// <summary>Puts back changes that could not be reported, unless newer ones replaced them.</summary>
    public void ReturnChanges(string[] added, string[] removed)
    {
        lock (_changes)
        {
            foreach (var clientId in added)
            {
                _changes.TryAdd(clientId, true);
            }

            foreach (var clientId in removed)
            {
                _changes.TryAdd(clientId, false);
            }
        }
    }

    /// <summary>Forgets pending changes (the whole set is about to be reported).</summary>
    public void ClearChanges()
    {
        lock (_changes)
        {
            _changes.Clear();
        }
    }

    private void Changed(string clientId, bool added)
    {
        lock (_changes)
        {
            _changes[clientId] = added;
        }
    }

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
}
