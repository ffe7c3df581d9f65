using System.Runtime.CompilerServices;
using System.Xml.Serialization;

namespace LeakGuard.LeakZoo.Scenarios;

/// <summary>
/// Leak: every request serialises its order with a new <see cref="XmlSerializer"/> built through the root-attribute
/// constructor, which does not cache: each call generates a dynamic assembly (Microsoft.GeneratedCode) that is never
/// unloaded. The loaded-assembly count grows by one per request; the managed heap only by the runtime's bookkeeping.
/// </summary>
internal sealed class SerializerPerCallScenario : RateScenario
{
    public SerializerPerCallScenario(double serializersPerSecond)
        : base(serializersPerSecond)
    {
    }

    public override string Description => "new XmlSerializer(type, new XmlRootAttribute(...)) per request: one generated assembly per call";

    [MethodImpl(MethodImplOptions.NoInlining)]
    protected override void RunOnce(long sequence)
    {
        var serializer = new XmlSerializer(typeof(ExportedOrder), new XmlRootAttribute("order"));
        using var writer = new StringWriter();
        serializer.Serialize(writer, new ExportedOrder { Id = sequence, Customer = "customer-" + (sequence % 97) });
    }
}
