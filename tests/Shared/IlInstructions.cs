// The instructions of a method body's IL, decoded with System.Reflection.Emit's opcode table: the two IL
// readers of the tests (SlowTraitAudit follows calls, the layering test collects type uses) walk it the same way.
using System.Reflection;
using System.Reflection.Emit;

namespace NanoT5.Testing;

internal static class IlInstructions
{
    private static readonly OpCode?[] OneByte = new OpCode?[256];
    private static readonly OpCode?[] TwoByte = new OpCode?[256];

#pragma warning disable CA1810 // the opcode tables are filled from OpCodes' fields, which a field initializer cannot do
    static IlInstructions()
#pragma warning restore CA1810
    {
        foreach (FieldInfo field in typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static))
        {
            var op = (OpCode)field.GetValue(null)!;
            ushort value = unchecked((ushort)op.Value);
            (op.Size == 1 ? OneByte : TwoByte)[value & 0xff] = op;
        }
    }

    /// <summary>Each instruction of <paramref name="il"/> and the offset of its operand.</summary>
    public static IEnumerable<(OpCode Op, int Operand)> Read(byte[] il)
    {
        for (int i = 0; i < il.Length;)
        {
            OpCode op = (il[i] == 0xfe ? TwoByte[il[++i]] : OneByte[il[i]])
                ?? throw new InvalidOperationException($"unknown IL opcode at offset {i}");
            i++;
            yield return (op, i);
            i += op.OperandType switch
            {
                OperandType.InlineNone => 0,
                OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
                OperandType.InlineVar => 2,
                OperandType.InlineI8 or OperandType.InlineR => 8,
                OperandType.InlineSwitch => 4 + (4 * BitConverter.ToInt32(il, i)),
                _ => 4,
            };
        }
    }
}
