#if !NET9_0_OR_GREATER
namespace Realtime.Client;

/// <summary>On net8.0, a plain monitor stands in for .NET 9's <c>System.Threading.Lock</c> (same <c>lock</c> statements).</summary>
internal sealed class Lock
{
}
#endif
