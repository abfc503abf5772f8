namespace Realtime.Delivery;

/// <summary>
/// Fans an unsequenced push out to the gateways that hold its recipients: one stream item per
/// gateway, never one message per connection. Stateless: any silo runs it.
/// </summary>
[Alias("realtime.IDeliveryGrain")]
public interface IDeliveryGrain : IGrainWithIntegerKey
{
    /// <summary>To the named connections.</summary>
    [Alias("SendToClients")]
    Task SendToClients(string[] clientIds, byte[] frame, string[]? exclude, Dictionary<string, string>? filter);

    /// <summary>
    /// To every connection of the named users: while users have rooms, a broadcast of each user's room
    /// (sequenced, kept, recoverable), all of them at once; otherwise straight to their connections.
    /// </summary>
    [Alias("SendToUsers")]
    Task SendToUsers(string[] userIds, string type, string action, byte[] data, string[]? exclude, Dictionary<string, string>? filter);

    /// <summary>To the members of any of the rooms, each connection once.</summary>
    [Alias("SendToRooms")]
    Task SendToRooms(string[] rooms, byte[] frame, string[]? exclude, Dictionary<string, string>? filter);

    /// <summary>To every connection that arrived on the endpoint <paramref name="path"/>, on every gateway.</summary>
    [Alias("SendToPath")]
    Task SendToPath(string path, byte[] frame, string[]? exclude, Dictionary<string, string>? filter);

    /// <summary>Publishes a custom event onto its channel's stream.</summary>
    [Alias("PublishEvent")]
    Task PublishEvent(Events.RealtimeEvent realtimeEvent);

    /// <summary>Closes the named connections, wherever they are.</summary>
    [Alias("DisconnectClients")]
    Task DisconnectClients(string[] clientIds, int closeCode, string reason);

    /// <summary>Closes every connection of the named users, wherever they are.</summary>
    [Alias("DisconnectUsers")]
    Task DisconnectUsers(string[] userIds, int closeCode, string reason);

    /// <summary>To every connection on every gateway.</summary>
    [Alias("SendToAll")]
    Task SendToAll(byte[] frame, string[]? exclude, Dictionary<string, string>? filter);

    /// <summary>
    /// Sends a server request to the gateway that holds its connection; false when the connection
    /// is not connected (nothing was sent). The answer goes to the request's <see cref="ClientRequest.ReplyTo"/>.
    /// </summary>
    [Alias("SendRequest")]
    Task<bool> SendRequest(ClientRequest request);
}
