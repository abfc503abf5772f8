using Realtime.Connections;
using Realtime.Protocol;

namespace Realtime.Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class ClientGrainTests(ClusterFixture fixture) : LogCheckedTest
{
    private IGrainFactory Grains => fixture.Grains;

    protected override LogCapture Logs => fixture.Logs;

    private static ClientRegistration Registration(string? userId, string gateway = "gw_a")
        => new(userId, gateway, "/ws", new Dictionary<string, string> { ["lang"] = "en" }, DateTimeOffset.UtcNow);

    [Fact]
    public async Task AConnectionKnowsItsUserGatewayPathMetadataAndRooms()
    {
        var clientId = Keys.Client();
        var client = Grains.GetClientGrain(clientId);
        var room = Keys.Room();

        await client.Connect(Registration("u1"));
        await client.JoinRoom(new ClientJoinRequest(room, null, null));
        await client.SetMetadata("name", "Ada");
        var info = await client.GetInfo();

        Assert.NotNull(info);
        Assert.Equal((clientId, "u1", "gw_a", "/ws"), (info.ClientId, info.UserId, info.GatewayId, info.Path));
        Assert.Equal("Ada", info.Metadata["name"]);
        Assert.Equal("en", info.Metadata["lang"]);
        Assert.Equal(["user:u1", room], info.Rooms);
        Assert.True(info.LastActivity >= info.ConnectedAt);
        Assert.Equal("gw_a", await client.GetGateway());
    }

    [Fact]
    public async Task DisconnectLeavesEveryRoomAndPresenceAndForgetsTheConnection()
    {
        var clientId = Keys.Client();
        var userId = Keys.User();
        var client = Grains.GetClientGrain(clientId);
        var (roomA, roomB) = (Keys.Room(), Keys.Room());
        await client.Connect(Registration(userId));
        await client.JoinRoom(new ClientJoinRequest(roomA, null, null));
        await client.JoinRoom(new ClientJoinRequest(roomB, null, null));

        await client.Disconnect();
        await fixture.Cluster.WaitForDeactivationAsync(client).Within("the connection's grain to deactivate");

        Assert.Empty(await Grains.GetRoomGrain(roomA).GetMembers());
        Assert.Empty(await Grains.GetRoomGrain(roomB).GetMembers());
        Assert.False(await Grains.GetUserPresenceGrain(userId).IsOnline());
        Assert.Null(await client.GetInfo());
    }

    [Fact]
    public async Task AConnectionThatIsNotRegisteredCannotJoinOrRunHandlers()
    {
        var client = Grains.GetClientGrain(Keys.Client());

        var join = await client.JoinRoom(new ClientJoinRequest(Keys.Room(), null, null));
        var handled = await client.Handle(new InboundMessage("math", "add", """{"x":1,"y":2}"""u8.ToArray()));

        Assert.Equal(ErrorCodes.Unauthorized, join.Room.ErrorCode);
        Assert.Equal(ErrorCodes.Unauthorized, handled.ErrorCode);
    }

    [Fact]
    public async Task AConnectionMayBeInALimitedNumberOfRooms()
    {
        var client = Grains.GetClientGrain(Keys.Client());
        await client.Connect(Registration(null));
        for (var i = 0; i < ClusterFixture.MaxRooms; i++)
        {
            Assert.True((await client.JoinRoom(new ClientJoinRequest(Keys.Room(), null, null))).Room.Ok);
        }

        var overLimit = await client.JoinRoom(new ClientJoinRequest(Keys.Room(), null, null));

        Assert.Equal(ErrorCodes.Forbidden, overLimit.Room.ErrorCode);
        Assert.Equal(ClusterFixture.MaxRooms, (await client.GetInfo())!.Rooms.Count);
    }

    [Fact]
    public async Task LeavingARoomTheConnectionIsNotInIsHarmlessAndActivatesNoRoom()
    {
        var client = Grains.GetClientGrain(Keys.Client());
        await client.Connect(Registration(null));
        var (never, joined) = (Keys.Room(), Keys.Room());
        await client.JoinRoom(new ClientJoinRequest(joined, null, null));
        await client.LeaveRoom(joined);

        await client.LeaveRoom(never);

        Assert.Empty((await client.GetInfo())!.Rooms);
        var management = Grains.GetGrain<IManagementGrain>(0);
        Assert.NotNull(await management.GetActivationAddress(Grains.GetRoomGrain(joined)));
        Assert.Null(await management.GetActivationAddress(Grains.GetRoomGrain(never)));
    }

    [Fact]
    public async Task AServerMetadataChangeAfterTheClientsOwnGoesToTheGatewayWithANewerVersion()
    {
        await using var gateway = await fixture.ProbeAsync();
        var clientId = Keys.Client();
        var client = Grains.GetClientGrain(clientId);
        await client.Connect(Registration("u1", gateway.GatewayId));

        var own = await client.SetMetadata("team", "red");
        await client.UpdateMetadata(new Dictionary<string, string?> { ["role"] = "admin" });
        var server = await gateway.NextAsync<Realtime.Delivery.ClientMetadataChange>("the server's metadata change");

        Assert.Equal(clientId, server.ClientId);
        Assert.Equal(("red", "admin"), (server.Metadata["team"], server.Metadata["role"]));
        Assert.True(server.Version > own.Version);
    }
}
