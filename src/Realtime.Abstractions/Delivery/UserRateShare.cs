namespace Realtime.Delivery;

/// <summary>
/// These local connections of one user now have this share of the user's budget (frames and bytes per
/// second, 0: no user limit): the user's presence grain divides the budget among the user's connections
/// on every gateway as they come and go, so a user with five tabs gets one budget, not five.
/// </summary>
[GenerateSerializer, Immutable, Alias("realtime.UserRateShare")]
public sealed record UserRateShare(
    [property: Id(0)] string[] ClientIds,
    [property: Id(1)] double FramesPerSecond,
    [property: Id(2)] double BytesPerSecond) : GatewayMessage;
