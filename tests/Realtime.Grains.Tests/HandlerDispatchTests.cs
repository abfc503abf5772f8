using System.Text;
using System.Text.Json;
using Realtime.Connections;
using Realtime.Delivery;
using Realtime.Protocol;

namespace Realtime.Grains.Tests;

/// <summary>Handlers run in the connection's grain, on a real cluster.</summary>
[Collection(ClusterCollection.Name)]
public sealed class HandlerDispatchTests(ClusterFixture fixture) : LogCheckedTest
{
    private IGrainFactory Grains => fixture.Grains;

    protected override LogCapture Logs => fixture.Logs;

    private async Task<IClientGrain> ConnectedAsync(string? userId = null, string gateway = "gw_a")
    {
        var client = Grains.GetClientGrain(Keys.Client());
        await client.Connect(new ClientRegistration(userId, gateway, "/ws", [], DateTimeOffset.UtcNow));
        return client;
    }

    private static InboundMessage Message(string type, string action, string? json = null)
        => new(type, action, json is null ? [] : Encoding.UTF8.GetBytes(json));

    private static JsonElement Data(HandlerReply reply)
    {
        Assert.True(reply.Ok, $"{reply.ErrorCode}: {reply.Error}");
        return JsonDocument.Parse(reply.Data).RootElement;
    }

    [Fact]
    public async Task TypedDataIsBoundAndTheReturnValueIsTheReply()
    {
        var client = await ConnectedAsync();

        var reply = await client.Handle(Message("math", "add", """{"x":2,"y":3}"""));

        Assert.Equal(5, Data(reply).GetInt32());
    }

    [Theory]
    [InlineData("greet", """{"title":"Dr"}""", "data needs 'name'")]
    [InlineData("greet", """{"name":null}""", "data.name may not be null")]
    [InlineData("add", """{"x":1}""", "data needs 'y'")]
    [InlineData("add", """{"x":"one","y":2}""", "data.x is not of the expected kind")]
    public async Task DataMissingARequiredPropertyOrOfTheWrongKindIsAnInvalidMessageInTheClientsTerms(string action, string json, string said)
    {
        var client = await ConnectedAsync();

        var reply = await client.Handle(Message("math", action, json));

        Assert.Equal(ErrorCodes.InvalidMessage, reply.ErrorCode);
        Assert.Equal($"Invalid data for math/{action}: {said}", reply.Error);
    }

    [Fact]
    public async Task OptionalPropertiesMayBeLeftOut()
    {
        var client = await ConnectedAsync();

        Assert.Equal("hi Ann", Data(await client.Handle(Message("math", "greet", """{"name":"Ann"}"""))).GetString());
        Assert.Equal("hi Dr Ann", Data(await client.Handle(Message("math", "greet", """{"name":"Ann","title":"Dr"}"""))).GetString());
    }

    [Fact]
    public async Task NullableDataParameterMayBeAbsent()
    {
        var client = await ConnectedAsync();

        Assert.Equal("none", Data(await client.Handle(Message("math", "maybe"))).GetString());
        Assert.Equal("some", Data(await client.Handle(Message("math", "maybe", """{"x":1,"y":1}"""))).GetString());
    }

    [Fact]
    public async Task HandlerSeesRawDataAndTheConnection()
    {
        var client = await ConnectedAsync("u9");

        var data = Data(await client.Handle(Message("math", "raw", "[1,2]")));

        Assert.Equal("Array", data.GetProperty("kind").GetString());
        Assert.Equal("math", data.GetProperty("type").GetString());
        Assert.Equal("raw", data.GetProperty("action").GetString());
        Assert.Equal("u9", data.GetProperty("userId").GetString());
    }

    [Fact]
    public async Task VoidHandlerRepliesWithoutData()
    {
        var client = await ConnectedAsync();

        var reply = await client.Handle(Message("math", "void"));

        Assert.True(reply.Ok);
        Assert.Empty(reply.Data);
    }

    [Fact]
    public async Task ControllerActionsGetServicesAndContext()
    {
        var client = await ConnectedAsync();

        Assert.Equal(14, Data(await client.Handle(Message("counter", "twice", "7"))).GetInt32());
        Assert.True(Data(await client.Handle(Message("counter", "now"))).GetBoolean());
        Assert.Equal(ErrorCodes.UnknownRoute, (await client.Handle(Message("counter", "hidden"))).ErrorCode);
    }

    [Fact]
    public async Task MissingRouteIsUnknown()
    {
        var client = await ConnectedAsync();

        var reply = await client.Handle(Message("math", "divide"));

        Assert.Equal(ErrorCodes.UnknownRoute, reply.ErrorCode);
        Assert.Equal("Unknown route math/divide", reply.Error);
    }

    [Fact]
    public async Task ThrowingHandlerGivesAGenericErrorAndLogsTheDetails()
    {
        fixture.Logs.Expect(e => e.Exception?.Message == "grain handler failure");
        var client = await ConnectedAsync();

        var reply = await client.Handle(Message("math", "fail"));

        Assert.Equal(ErrorCodes.HandlerError, reply.ErrorCode);
        Assert.DoesNotContain("grain handler failure", reply.Error, StringComparison.Ordinal);
        Assert.Contains(fixture.Logs.Entries, e => e.Exception?.Message == "grain handler failure" && e.Message.Contains("math/fail", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RealtimeExceptionKeepsItsCodeAndMessage()
    {
        var client = await ConnectedAsync();

        var reply = await client.Handle(Message("math", "refuse"));

        Assert.Equal((ErrorCodes.Forbidden, "refused"), (reply.ErrorCode, reply.Error));
    }

    [Fact]
    public async Task HandlerPastItsLimitTimesOutAndTheConnectionCarriesOn()
    {
        var client = await ConnectedAsync();

        var slow = await client.Handle(Message("math", "slow"));
        var next = await client.Handle(Message("math", "add", """{"x":1,"y":1}"""));

        Assert.Equal(ErrorCodes.Timeout, slow.ErrorCode);
        Assert.Equal(2, Data(next).GetInt32());
    }

    [Fact]
    public async Task AHandlerThatIgnoresItsCancellationStillTimesOutAndIsLogged()
    {
        var client = await ConnectedAsync();

        var reply = await client.Handle(Message("math", "stubborn"));

        Assert.Equal(ErrorCodes.Timeout, reply.ErrorCode);
        Assert.Contains(fixture.Logs.Entries, e => e.EventId.Id == 1302);
    }

    [Theory]
    [InlineData("""{"x":"two","y":3}""")]
    [InlineData("\"text\"")]
    [InlineData(null)]
    public async Task DataThatDoesNotFitIsAnInvalidMessage(string? json)
    {
        var client = await ConnectedAsync();

        var reply = await client.Handle(Message("math", "add", json));

        Assert.Equal(ErrorCodes.InvalidMessage, reply.ErrorCode);
    }

    [Fact]
    public async Task HandlerCanBroadcastToARoomThroughTheServerApi()
    {
        await using var gateway = await fixture.ProbeAsync();
        var roomName = Keys.Room();
        var member = await ConnectedAsync(gateway: gateway.GatewayId);
        await member.JoinRoom(new ClientJoinRequest(roomName, null, null));
        var caller = await ConnectedAsync();

        var reply = await caller.Handle(Message("math", "toRoom", JsonSerializer.Serialize(roomName)));

        Assert.Equal(1, Data(reply).GetInt64());
        var push = await gateway.NextAsync<RoomPush>("the handler's broadcast");
        Assert.Equal(42, JsonDocument.Parse(push.Frame).RootElement.GetProperty("data").GetProperty("value").GetInt32());
    }
}
