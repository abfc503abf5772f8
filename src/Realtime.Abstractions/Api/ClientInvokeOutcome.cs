using System.Text.Json;
using Realtime.Protocol;

namespace Realtime.Api;

/// <summary>
/// One connection's outcome of a server request: its answer's <see cref="Data"/> (JSON text) when
/// <see cref="Ok"/>, else the error <see cref="Code"/> (the client's, <c>TIMEOUT</c> or
/// <c>NOT_CONNECTED</c>) and <see cref="Error"/>.
/// </summary>
public sealed record ClientInvokeOutcome(string ClientId, bool Ok, ReadOnlyMemory<byte> Data, string? Code = null, string? Error = null)
{
    /// <summary>The answer's data as <typeparamref name="T"/> (camelCase unless <paramref name="json"/> says otherwise); default when it had none.</summary>
    public T? As<T>(JsonSerializerOptions? json = null)
        => Ok
            ? Data.IsEmpty ? default : JsonSerializer.Deserialize<T>(Data.Span, json ?? RealtimeJson.DefaultDataOptions)
            : throw new RealtimeException(Code!, Error!);
}
