using Realtime.Protocol;

namespace Realtime.Gateway.Tests.Unit;

/// <summary>The protocol's rules, from their one home in Realtime.Protocol.</summary>
public sealed class ProtocolRulesTests
{
    [Theory]
    [InlineData(1000, true)]
    [InlineData(1001, true)]
    [InlineData(1008, true)]
    [InlineData(1013, true)]
    [InlineData(4001, true)]
    [InlineData(3000, true)]
    [InlineData(1004, false)]
    [InlineData(1005, false)]
    [InlineData(1006, false)]
    [InlineData(1015, false)]
    [InlineData(999, false)]
    [InlineData(5000, false)]
    public void AServerMaySendOnlyTheCodesACloseFrameMayCarry(int code, bool allowed)
        => Assert.Equal(allowed, CloseCodes.MaySend(code));

    [Theory]
    [InlineData(4321, 4321)]
    [InlineData(1001, 1001)]
    [InlineData(1005, 1000)]
    [InlineData(1006, 1000)]
    [InlineData(1015, 1000)]
    [InlineData(null, 1000)]
    [InlineData(6000, 1000)]
    public void AClientsCloseIsAnsweredWithItsCodeWhenAFrameCanCarryIt(int? code, int answer)
        => Assert.Equal(answer, CloseCodes.Answer(code));

    [Theory]
    [InlineData("system", true)]
    [InlineData("presence", true)]
    [InlineData("chat", false)]
    [InlineData(null, false)]
    public void OnlyTheServersTypesAreReserved(string? type, bool reserved)
        => Assert.Equal(reserved, SystemActions.IsReservedType(type));

    [Theory]
    [InlineData("chat:lobby", true)]
    [InlineData("chat: the lobby", true)]
    [InlineData("доска:1", true)]
    [InlineData("", false)]
    [InlineData(" ", false)]
    [InlineData("\u00a0", false)]
    [InlineData("\u3000 \t", false)]
    [InlineData("chat:a\u200bb", false)]
    [InlineData("chat:\u202egnp.exe", false)]
    [InlineData("chat:\u2066x", false)]
    [InlineData("chat:\ufeffx", false)]
    [InlineData("chat:\u0007", false)]
    public void ARoomNameIsVisibleTextWithoutControlOrFormatCharacters(string name, bool valid)
        => Assert.Equal(valid, RoomNames.IsValid(name));

    [Fact]
    public void TheRoomNameRuleIsLongerThanNothing()
        => Assert.False(RoomNames.IsValid(new string('x', RoomNames.MaxLength + 1)));

    [Fact]
    public void TheProtocolAssemblyDependsOnTheRuntimeAndTheMessagePackCodecOnly()
    {
        var references = typeof(CloseCodes).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();

        Assert.All(references, name => Assert.True(name.StartsWith("System", StringComparison.Ordinal) || name is "netstandard" or "MessagePack", name));
    }
}
