using Realtime.GatewayHost;
using Realtime.Hosting;

return await RealtimeHostRunner.RunAsync(() => GatewayApp.Create(args));
