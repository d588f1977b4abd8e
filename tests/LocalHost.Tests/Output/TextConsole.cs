using Spectre.Console;
using Spectre.Console.Rendering;

namespace DurablePipelines.LocalHost.Tests.Output;

/// <summary>Renders Spectre output as plain text, wide enough that tables do not wrap.</summary>
internal static class TextConsole
{
    public static string Render(IRenderable renderable)
    {
        using var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        console.Profile.Width = 200;
        console.Write(renderable);
        return writer.ToString();
    }
}
