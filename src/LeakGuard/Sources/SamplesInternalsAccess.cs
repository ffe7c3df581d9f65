using System.Runtime.CompilerServices;

// The console sample drives the sources directly (GcEventListener, MemoryProbe, SampleRing) until the
// hosting layer (AddLeakGuard) exists; remove this once the sample switches to the public API.
[assembly: InternalsVisibleTo("LeakGuard.Samples.Console")]
