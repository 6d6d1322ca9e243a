using PaperGao.Core.Projects;

namespace PaperGao.Api.Analytics;

/// <summary>
/// Live activity of a project for the analytics endpoint. The realtime feature registers its own implementation
/// (services.AddSingleton&lt;IActivityGauge, ...&gt;() after AddPaperGao) that counts open realtime connections; until
/// then <see cref="NoRealtimeGauge"/> answers 0, because there are none.
/// </summary>
public interface IActivityGauge
{
    /// <summary>Realtime connections currently open on this server for the project.</summary>
    int ActiveRealtimeConnections(Project project);
}

/// <summary>The gauge of a server without a realtime endpoint: no connection can be open.</summary>
public sealed class NoRealtimeGauge : IActivityGauge
{
    public int ActiveRealtimeConnections(Project project) => 0;
}
