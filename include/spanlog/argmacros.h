/* Internal to spanlog.h: argument counting and pair expansion for up to
   48 key/value pairs per call. */
#ifndef SPANLOG_ARGMACROS_H
#define SPANLOG_ARGMACROS_H

#define SL__MAX_PAIRS 48
#define SL__CAT(a, b) SL__CAT_(a, b)
#define SL__CAT_(a, b) a##b

/* SL__NARG(...): how many arguments (1 or more). */
#define SL__NARG(...) SL__NARG_(__VA_ARGS__, 97, 96, 95, 94, 93, 92, 91, 90, 89, 88, 87, 86, 85, 84, 83, 82, 81, 80, 79, 78, 77, 76, 75, 74, 73, 72, 71, 70, 69, 68, 67, 66, 65, 64, 63, 62, 61, 60, 59, 58, 57, 56, 55, 54, 53, 52, 51, 50, 49, 48, 47, 46, 45, 44, 43, 42, 41, 40, 39, 38, 37, 36, 35, 34, 33, 32, 31, 30, 29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19, 18, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0)
#define SL__NARG_(_1, _2, _3, _4, _5, _6, _7, _8, _9, _10, _11, _12, _13, _14, _15, _16, _17, _18, _19, _20, _21, _22, _23, _24, _25, _26, _27, _28, _29, _30, _31, _32, _33, _34, _35, _36, _37, _38, _39, _40, _41, _42, _43, _44, _45, _46, _47, _48, _49, _50, _51, _52, _53, _54, _55, _56, _57, _58, _59, _60, _61, _62, _63, _64, _65, _66, _67, _68, _69, _70, _71, _72, _73, _74, _75, _76, _77, _78, _79, _80, _81, _82, _83, _84, _85, _86, _87, _88, _89, _90, _91, _92, _93, _94, _95, _96, _97, N, ...) N

/* SL__PAIRS_n(k1, v1, ...): n arguments as n/2 initialisers SL__ARG(k, v).
   An odd n is a key without a value: SL__ODD_PAIRS stops the build. */
#define SL__PAIRS_1(k) SL__ODD_PAIRS
#define SL__PAIRS_2(k, v) SL__ARG(k, v)
#define SL__PAIRS_3(k, ...) SL__ODD_PAIRS
#define SL__PAIRS_4(k, v, ...) SL__ARG(k, v), SL__PAIRS_2(__VA_ARGS__)
#define SL__PAIRS_5(k, ...) SL__ODD_PAIRS
#define SL__PAIRS_6(k, v, ...) SL__ARG(k, v), SL__PAIRS_4(__VA_ARGS__)
#define SL__PAIRS_7(k, ...) SL__ODD_PAIRS
#define SL__PAIRS_8(k, v, ...) SL__ARG(k, v), SL__PAIRS_6(__VA_ARGS__)
#define SL__PAIRS_9(k, ...) SL__ODD_PAIRS
#define SL__PAIRS_10(k, v, ...) SL__ARG(k, v), SL__PAIRS_8(__VA_ARGS__)
#define SL__PAIRS_11(k, ...) SL__ODD_PAIRS
#define SL__PAIRS_12(k, v, ...) SL__ARG(k, v), SL__PAIRS_10(__VA_ARGS__)
#define SL__PAIRS_13(k, ...) SL__ODD_PAIRS
#define SL__PAIRS_14(k, v, ...) SL__ARG(k, v), SL__PAIRS_12(__VA_ARGS__)
#define SL__PAIRS_15(k, ...) SL__ODD_PAIRS
#define SL__PAIRS_16(k, v, ...) SL__ARG(k, v), SL__PAIRS_14(__VA_ARGS__)
#define SL__PAIRS_17(k, ...) SL__ODD_PAIRS
#define SL__PAIRS_18(k, v, ...) SL__ARG(k, v), SL__PAIRS_16(__VA_ARGS__)
#define SL__PAIRS_19(k, ...) SL__ODD_PAIRS
#define SL__PAIRS_20(k, v, ...) SL__ARG(k, v), SL__PAIRS_18(__VA_ARGS__)
#define SL__PAIRS_21(k, ...) SL__ODD_PAIRS
#define SL__PAIRS_22(k, v, ...) SL__ARG(k, v), SL__PAIRS_20(__VA_ARGS__)
#define SL__PAIRS_23(k, ...) SL__ODD_PAIRS
#define SL__PAIRS_24(k, v, ...) SL__ARG(k, v), SL__PAIRS_22(__VA_ARGS__)
#define SL__PAIRS_25(k, ...) SL__ODD_PAIRS
#define SL__PAIRS_26(k, v, ...) SL__ARG(k, v), SL__PAIRS_24(__VA_ARGS__)
#define SL__PAIRS_27(k, ...) SL__ODD_PAIRS
#define SL__PAIRS_28(k, v, ...) SL__ARG(k, v), SL__PAIRS_26(__VA_ARGS__)
#define SL__PAIRS_29(k, ...) SL__ODD_PAIRS
#define SL__PAIRS_30(k, v, ...) SL__ARG(k, v), SL__PAIRS_28(__VA_ARGS__)
#define SL__PAIRS_31(k, ...) SL__ODD_PAIRS
#define SL__PAIRS_32(k, v, ...) SL__ARG(k, v), SL__PAIRS_30(__VA_ARGS__)
#define SL__PAIRS_33(k, ...) SL__ODD_PAIRS
#define SL__PAIRS_34(k, v, ...) SL__ARG(k, v), SL__PAIRS_32(__VA_ARGS__)
#define SL__PAIRS_35(k, ...) SL__ODD_PAIRS
#define SL__PAIRS_36(k, v, ...) SL__ARG(k, v), SL__PAIRS_34(__VA_ARGS__)
#define SL__PAIRS_37(k, ...) SL__ODD_PAIRS
#define SL__PAIRS_38(k, v, ...) SL__ARG(k, v), SL__PAIRS_36(__VA_ARGS__)
#define SL__PAIRS_39(k, ...) SL__ODD_PAIRS
#define SL__PAIRS_40(k, v, ...) SL__ARG(k, v), SL__PAIRS_38(__VA_ARGS__)
#define SL__PAIRS_41(k, ...) SL__ODD_PAIRS
#define SL__PAIRS_42(k, v, ...) SL__ARG(k, v), SL__PAIRS_40(__VA_ARGS__)
#define SL__PAIRS_43(k, ...) SL__ODD_PAIRS
#define SL__PAIRS_44(k, v, ...) SL__ARG(k, v), SL__PAIRS_42(__VA_ARGS__)
#define SL__PAIRS_45(k, ...) SL__ODD_PAIRS
#define SL__PAIRS_46(k, v, ...) SL__ARG(k, v), SL__PAIRS_44(__VA_ARGS__)
#define SL__PAIRS_47(k, ...) SL__ODD_PAIRS
#define SL__PAIRS_48(k, v, ...) SL__ARG(k, v), SL__PAIRS_46(__VA_ARGS__)
#define SL__PAIRS_49(k, ...) SL__ODD_PAIRS
#define SL__PAIRS_50(k, v, ...) SL__ARG(k, v), SL__PAIRS_48(__VA_ARGS__)
#define SL__PAIRS_51(k, ...) SL__ODD_PAIRS
#define SL__PAIRS_52(k, v, ...) SL__ARG(k, v), SL__PAIRS_50(__VA_ARGS__)
#define SL__PAIRS_53(k, ...) SL__ODD_PAIRS
#define SL__PAIRS_54(k, v, ...) SL__ARG(k, v), SL__PAIRS_52(__VA_ARGS__)
#define SL__PAIRS_55(k, ...) SL__ODD_PAIRS
#define SL__PAIRS_56(k, v, ...) SL__ARG(k, v), SL__PAIRS_54(__VA_ARGS__)
#define SL__PAIRS_57(k, ...) SL__ODD_PAIRS
#define SL__PAIRS_58(k, v, ...) SL__ARG(k, v), SL__PAIRS_56(__VA_ARGS__)
#define SL__PAIRS_59(k, ...) SL__ODD_PAIRS
#define SL__PAIRS_60(k, v, ...) SL__ARG(k, v), SL__PAIRS_58(__VA_ARGS__)
#define SL__PAIRS_61(k, ...) SL__ODD_PAIRS
#define SL__PAIRS_62(k, v, ...) SL__ARG(k, v), SL__PAIRS_60(__VA_ARGS__)
#define SL__PAIRS_63(k, ...) SL__ODD_PAIRS
#define SL__PAIRS_64(k, v, ...) SL__ARG(k, v), SL__PAIRS_62(__VA_ARGS__)
#define SL__PAIRS_65(k, ...) SL__ODD_PAIRS
#define SL__PAIRS_66(k, v, ...) SL__ARG(k, v), SL__PAIRS_64(__VA_ARGS__)
#define SL__PAIRS_67(k, ...) SL__ODD_PAIRS
#define SL__PAIRS_68(k, v, ...) SL__ARG(k, v), SL__PAIRS_66(__VA_ARGS__)
#define SL__PAIRS_69(k, ...) SL__ODD_PAIRS
#define SL__PAIRS_70(k, v, ...) SL__ARG(k, v), SL__PAIRS_68(__VA_ARGS__)
#define SL__PAIRS_71(k, ...) SL__ODD_PAIRS
#define SL__PAIRS_72(k, v, ...) SL__ARG(k, v), SL__PAIRS_70(__VA_ARGS__)
#define SL__PAIRS_73(k, ...) SL__ODD_PAIRS
#define SL__PAIRS_74(k, v, ...) SL__ARG(k, v), SL__PAIRS_72(__VA_ARGS__)
#define SL__PAIRS_75(k, ...) SL__ODD_PAIRS
#define SL__PAIRS_76(k, v, ...) SL__ARG(k, v), SL__PAIRS_74(__VA_ARGS__)
#define SL__PAIRS_77(k, ...) SL__ODD_PAIRS
#define SL__PAIRS_78(k, v, ...) SL__ARG(k, v), SL__PAIRS_76(__VA_ARGS__)
#define SL__PAIRS_79(k, ...) SL__ODD_PAIRS
#define SL__PAIRS_80(k, v, ...) SL__ARG(k, v), SL__PAIRS_78(__VA_ARGS__)
#define SL__PAIRS_81(k, ...) SL__ODD_PAIRS
#define SL__PAIRS_82(k, v, ...) SL__ARG(k, v), SL__PAIRS_80(__VA_ARGS__)
#define SL__PAIRS_83(k, ...) SL__ODD_PAIRS
#define SL__PAIRS_84(k, v, ...) SL__ARG(k, v), SL__PAIRS_82(__VA_ARGS__)
#define SL__PAIRS_85(k, ...) SL__ODD_PAIRS
#define SL__PAIRS_86(k, v, ...) SL__ARG(k, v), SL__PAIRS_84(__VA_ARGS__)
#define SL__PAIRS_87(k, ...) SL__ODD_PAIRS
#define SL__PAIRS_88(k, v, ...) SL__ARG(k, v), SL__PAIRS_86(__VA_ARGS__)
#define SL__PAIRS_89(k, ...) SL__ODD_PAIRS
#define SL__PAIRS_90(k, v, ...) SL__ARG(k, v), SL__PAIRS_88(__VA_ARGS__)
#define SL__PAIRS_91(k, ...) SL__ODD_PAIRS
#define SL__PAIRS_92(k, v, ...) SL__ARG(k, v), SL__PAIRS_90(__VA_ARGS__)
#define SL__PAIRS_93(k, ...) SL__ODD_PAIRS
#define SL__PAIRS_94(k, v, ...) SL__ARG(k, v), SL__PAIRS_92(__VA_ARGS__)
#define SL__PAIRS_95(k, ...) SL__ODD_PAIRS
#define SL__PAIRS_96(k, v, ...) SL__ARG(k, v), SL__PAIRS_94(__VA_ARGS__)
#define SL__PAIRS_97(k, ...) SL__ODD_PAIRS

/* SL__WITH_ARGS_n(fn, extra, name, k1, v1, ...): the statement
   { fn(extra, name, args, count); }, the pairs as a temporary array of sl_arg (SL__ARGV):
   one full expression, so that a C++ temporary value (a std::string) lives until fn
   returns. A missing name (log_event()) stops the build with SL__MSG_NO_NAME: #name is
   "" only when the argument is empty. */
#define SL__WITH_ARGS_1(fn, extra, name) { SL__STATIC_ASSERT(sizeof(#name) > 1, SL__MSG_NO_NAME); fn(extra, name, 0, 0); }
#define SL__WITH_ARGS_2(fn, extra, name, ...) { SL__EXPR_2(fn, extra, name, __VA_ARGS__); }
#define SL__WITH_ARGS_3(fn, extra, name, ...) { SL__EXPR_3(fn, extra, name, __VA_ARGS__); }
#define SL__WITH_ARGS_4(fn, extra, name, ...) { SL__EXPR_4(fn, extra, name, __VA_ARGS__); }
#define SL__WITH_ARGS_5(fn, extra, name, ...) { SL__EXPR_5(fn, extra, name, __VA_ARGS__); }
#define SL__WITH_ARGS_6(fn, extra, name, ...) { SL__EXPR_6(fn, extra, name, __VA_ARGS__); }
#define SL__WITH_ARGS_7(fn, extra, name, ...) { SL__EXPR_7(fn, extra, name, __VA_ARGS__); }
#define SL__WITH_ARGS_8(fn, extra, name, ...) { SL__EXPR_8(fn, extra, name, __VA_ARGS__); }
#define SL__WITH_ARGS_9(fn, extra, name, ...) { SL__EXPR_9(fn, extra, name, __VA_ARGS__); }
#define SL__WITH_ARGS_10(fn, extra, name, ...) { SL__EXPR_10(fn, extra, name, __VA_ARGS__); }
#define SL__WITH_ARGS_11(fn, extra, name, ...) { SL__EXPR_11(fn, extra, name, __VA_ARGS__); }
#define SL__WITH_ARGS_12(fn, extra, name, ...) { SL__EXPR_12(fn, extra, name, __VA_ARGS__); }
#define SL__WITH_ARGS_13(fn, extra, name, ...) { SL__EXPR_13(fn, extra, name, __VA_ARGS__); }
#define SL__WITH_ARGS_14(fn, extra, name, ...) { SL__EXPR_14(fn, extra, name, __VA_ARGS__); }
#define SL__WITH_ARGS_15(fn, extra, name, ...) { SL__EXPR_15(fn, extra, name, __VA_ARGS__); }
#define SL__WITH_ARGS_16(fn, extra, name, ...) { SL__EXPR_16(fn, extra, name, __VA_ARGS__); }
#define SL__WITH_ARGS_17(fn, extra, name, ...) { SL__EXPR_17(fn, extra, name, __VA_ARGS__); }
#define SL__WITH_ARGS_18(fn, extra, name, ...) { SL__EXPR_18(fn, extra, name, __VA_ARGS__); }
#define SL__WITH_ARGS_19(fn, extra, name, ...) { SL__EXPR_19(fn, extra, name, __VA_ARGS__); }
#define SL__WITH_ARGS_20(fn, extra, name, ...) { SL__EXPR_20(fn, extra, name, __VA_ARGS__); }
#define SL__WITH_ARGS_21(fn, extra, name, ...) { SL__EXPR_21(fn, extra, name, __VA_ARGS__); }
#define SL__WITH_ARGS_22(fn, extra, name, ...) { SL__EXPR_22(fn, extra, name, __VA_ARGS__); }
#define SL__WITH_ARGS_23(fn, extra, name, ...) { SL__EXPR_23(fn, extra, name, __VA_ARGS__); }
#define SL__WITH_ARGS_24(fn, extra, name, ...) { SL__EXPR_24(fn, extra, name, __VA_ARGS__); }
#define SL__WITH_ARGS_25(fn, extra, name, ...) { SL__EXPR_25(fn, extra, name, __VA_ARGS__); }
#define SL__WITH_ARGS_26(fn, extra, name, ...) { SL__EXPR_26(fn, extra, name, __VA_ARGS__); }
#define SL__WITH_ARGS_27(fn, extra, name, ...) { SL__EXPR_27(fn, extra, name, __VA_ARGS__); }
#define SL__WITH_ARGS_28(fn, extra, name, ...) { SL__EXPR_28(fn, extra, name, __VA_ARGS__); }
#define SL__WITH_ARGS_29(fn, extra, name, ...) { SL__EXPR_29(fn, extra, name, __VA_ARGS__); }
#define SL__WITH_ARGS_30(fn, extra, name, ...) { SL__EXPR_30(fn, extra, name, __VA_ARGS__); }
#define SL__WITH_ARGS_31(fn, extra, name, ...) { SL__EXPR_31(fn, extra, name, __VA_ARGS__); }
#define SL__WITH_ARGS_32(fn, extra, name, ...) { SL__EXPR_32(fn, extra, name, __VA_ARGS__); }
#define SL__WITH_ARGS_33(fn, extra, name, ...) { SL__EXPR_33(fn, extra, name, __VA_ARGS__); }
#define SL__WITH_ARGS_34(fn, extra, name, ...) { SL__EXPR_34(fn, extra, name, __VA_ARGS__); }
#define SL__WITH_ARGS_35(fn, extra, name, ...) { SL__EXPR_35(fn, extra, name, __VA_ARGS__); }
#define SL__WITH_ARGS_36(fn, extra, name, ...) { SL__EXPR_36(fn, extra, name, __VA_ARGS__); }
#define SL__WITH_ARGS_37(fn, extra, name, ...) { SL__EXPR_37(fn, extra, name, __VA_ARGS__); }
#define SL__WITH_ARGS_38(fn, extra, name, ...) { SL__EXPR_38(fn, extra, name, __VA_ARGS__); }
#define SL__WITH_ARGS_39(fn, extra, name, ...) { SL__EXPR_39(fn, extra, name, __VA_ARGS__); }
#define SL__WITH_ARGS_40(fn, extra, name, ...) { SL__EXPR_40(fn, extra, name, __VA_ARGS__); }
#define SL__WITH_ARGS_41(fn, extra, name, ...) { SL__EXPR_41(fn, extra, name, __VA_ARGS__); }
#define SL__WITH_ARGS_42(fn, extra, name, ...) { SL__EXPR_42(fn, extra, name, __VA_ARGS__); }
#define SL__WITH_ARGS_43(fn, extra, name, ...) { SL__EXPR_43(fn, extra, name, __VA_ARGS__); }
#define SL__WITH_ARGS_44(fn, extra, name, ...) { SL__EXPR_44(fn, extra, name, __VA_ARGS__); }
#define SL__WITH_ARGS_45(fn, extra, name, ...) { SL__EXPR_45(fn, extra, name, __VA_ARGS__); }
#define SL__WITH_ARGS_46(fn, extra, name, ...) { SL__EXPR_46(fn, extra, name, __VA_ARGS__); }
#define SL__WITH_ARGS_47(fn, extra, name, ...) { SL__EXPR_47(fn, extra, name, __VA_ARGS__); }
#define SL__WITH_ARGS_48(fn, extra, name, ...) { SL__EXPR_48(fn, extra, name, __VA_ARGS__); }
#define SL__WITH_ARGS_49(fn, extra, name, ...) { SL__EXPR_49(fn, extra, name, __VA_ARGS__); }
#define SL__WITH_ARGS_50(fn, extra, name, ...) { SL__EXPR_50(fn, extra, name, __VA_ARGS__); }
#define SL__WITH_ARGS_51(fn, extra, name, ...) { SL__EXPR_51(fn, extra, name, __VA_ARGS__); }
#define SL__WITH_ARGS_52(fn, extra, name, ...) { SL__EXPR_52(fn, extra, name, __VA_ARGS__); }
#define SL__WITH_ARGS_53(fn, extra, name, ...) { SL__EXPR_53(fn, extra, name, __VA_ARGS__); }
#define SL__WITH_ARGS_54(fn, extra, name, ...) { SL__EXPR_54(fn, extra, name, __VA_ARGS__); }
#define SL__WITH_ARGS_55(fn, extra, name, ...) { SL__EXPR_55(fn, extra, name, __VA_ARGS__); }
#define SL__WITH_ARGS_56(fn, extra, name, ...) { SL__EXPR_56(fn, extra, name, __VA_ARGS__); }
#define SL__WITH_ARGS_57(fn, extra, name, ...) { SL__EXPR_57(fn, extra, name, __VA_ARGS__); }
#define SL__WITH_ARGS_58(fn, extra, name, ...) { SL__EXPR_58(fn, extra, name, __VA_ARGS__); }
#define SL__WITH_ARGS_59(fn, extra, name, ...) { SL__EXPR_59(fn, extra, name, __VA_ARGS__); }
#define SL__WITH_ARGS_60(fn, extra, name, ...) { SL__EXPR_60(fn, extra, name, __VA_ARGS__); }
#define SL__WITH_ARGS_61(fn, extra, name, ...) { SL__EXPR_61(fn, extra, name, __VA_ARGS__); }
#define SL__WITH_ARGS_62(fn, extra, name, ...) { SL__EXPR_62(fn, extra, name, __VA_ARGS__); }
#define SL__WITH_ARGS_63(fn, extra, name, ...) { SL__EXPR_63(fn, extra, name, __VA_ARGS__); }
#define SL__WITH_ARGS_64(fn, extra, name, ...) { SL__EXPR_64(fn, extra, name, __VA_ARGS__); }
#define SL__WITH_ARGS_65(fn, extra, name, ...) { SL__EXPR_65(fn, extra, name, __VA_ARGS__); }
#define SL__WITH_ARGS_66(fn, extra, name, ...) { SL__EXPR_66(fn, extra, name, __VA_ARGS__); }
#define SL__WITH_ARGS_67(fn, extra, name, ...) { SL__EXPR_67(fn, extra, name, __VA_ARGS__); }
#define SL__WITH_ARGS_68(fn, extra, name, ...) { SL__EXPR_68(fn, extra, name, __VA_ARGS__); }
#define SL__WITH_ARGS_69(fn, extra, name, ...) { SL__EXPR_69(fn, extra, name, __VA_ARGS__); }
#define SL__WITH_ARGS_70(fn, extra, name, ...) { SL__EXPR_70(fn, extra, name, __VA_ARGS__); }
#define SL__WITH_ARGS_71(fn, extra, name, ...) { SL__EXPR_71(fn, extra, name, __VA_ARGS__); }
#define SL__WITH_ARGS_72(fn, extra, name, ...) { SL__EXPR_72(fn, extra, name, __VA_ARGS__); }
#define SL__WITH_ARGS_73(fn, extra, name, ...) { SL__EXPR_73(fn, extra, name, __VA_ARGS__); }
#define SL__WITH_ARGS_74(fn, extra, name, ...) { SL__EXPR_74(fn, extra, name, __VA_ARGS__); }
#define SL__WITH_ARGS_75(fn, extra, name, ...) { SL__EXPR_75(fn, extra, name, __VA_ARGS__); }
#define SL__WITH_ARGS_76(fn, extra, name, ...) { SL__EXPR_76(fn, extra, name, __VA_ARGS__); }
#define SL__WITH_ARGS_77(fn, extra, name, ...) { SL__EXPR_77(fn, extra, name, __VA_ARGS__); }
#define SL__WITH_ARGS_78(fn, extra, name, ...) { SL__EXPR_78(fn, extra, name, __VA_ARGS__); }
#define SL__WITH_ARGS_79(fn, extra, name, ...) { SL__EXPR_79(fn, extra, name, __VA_ARGS__); }
#define SL__WITH_ARGS_80(fn, extra, name, ...) { SL__EXPR_80(fn, extra, name, __VA_ARGS__); }
#define SL__WITH_ARGS_81(fn, extra, name, ...) { SL__EXPR_81(fn, extra, name, __VA_ARGS__); }
#define SL__WITH_ARGS_82(fn, extra, name, ...) { SL__EXPR_82(fn, extra, name, __VA_ARGS__); }
#define SL__WITH_ARGS_83(fn, extra, name, ...) { SL__EXPR_83(fn, extra, name, __VA_ARGS__); }
#define SL__WITH_ARGS_84(fn, extra, name, ...) { SL__EXPR_84(fn, extra, name, __VA_ARGS__); }
#define SL__WITH_ARGS_85(fn, extra, name, ...) { SL__EXPR_85(fn, extra, name, __VA_ARGS__); }
#define SL__WITH_ARGS_86(fn, extra, name, ...) { SL__EXPR_86(fn, extra, name, __VA_ARGS__); }
#define SL__WITH_ARGS_87(fn, extra, name, ...) { SL__EXPR_87(fn, extra, name, __VA_ARGS__); }
#define SL__WITH_ARGS_88(fn, extra, name, ...) { SL__EXPR_88(fn, extra, name, __VA_ARGS__); }
#define SL__WITH_ARGS_89(fn, extra, name, ...) { SL__EXPR_89(fn, extra, name, __VA_ARGS__); }
#define SL__WITH_ARGS_90(fn, extra, name, ...) { SL__EXPR_90(fn, extra, name, __VA_ARGS__); }
#define SL__WITH_ARGS_91(fn, extra, name, ...) { SL__EXPR_91(fn, extra, name, __VA_ARGS__); }
#define SL__WITH_ARGS_92(fn, extra, name, ...) { SL__EXPR_92(fn, extra, name, __VA_ARGS__); }
#define SL__WITH_ARGS_93(fn, extra, name, ...) { SL__EXPR_93(fn, extra, name, __VA_ARGS__); }
#define SL__WITH_ARGS_94(fn, extra, name, ...) { SL__EXPR_94(fn, extra, name, __VA_ARGS__); }
#define SL__WITH_ARGS_95(fn, extra, name, ...) { SL__EXPR_95(fn, extra, name, __VA_ARGS__); }
#define SL__WITH_ARGS_96(fn, extra, name, ...) { SL__EXPR_96(fn, extra, name, __VA_ARGS__); }
#define SL__WITH_ARGS_97(fn, extra, name, ...) { SL__EXPR_97(fn, extra, name, __VA_ARGS__); }

/* SL__EXPR_n(fn, extra, name, k1, v1, ...): the expression
   fn(extra, name, args, count), the pairs as a temporary array of sl_arg (SL__ARGV). */
#define SL__EXPR_1(fn, extra, name) (SL__CHECK(sizeof(#name) > 1, SL__MSG_NO_NAME), fn(extra, name, 0, 0))
#define SL__EXPR_2(fn, extra, name, ...) fn(extra, name, SL__ARGV(0, SL__PAIRS_1(__VA_ARGS__)), 0)
#define SL__EXPR_3(fn, extra, name, ...) fn(extra, name, SL__ARGV(1, SL__PAIRS_2(__VA_ARGS__)), 1)
#define SL__EXPR_4(fn, extra, name, ...) fn(extra, name, SL__ARGV(1, SL__PAIRS_3(__VA_ARGS__)), 1)
#define SL__EXPR_5(fn, extra, name, ...) fn(extra, name, SL__ARGV(2, SL__PAIRS_4(__VA_ARGS__)), 2)
#define SL__EXPR_6(fn, extra, name, ...) fn(extra, name, SL__ARGV(2, SL__PAIRS_5(__VA_ARGS__)), 2)
#define SL__EXPR_7(fn, extra, name, ...) fn(extra, name, SL__ARGV(3, SL__PAIRS_6(__VA_ARGS__)), 3)
#define SL__EXPR_8(fn, extra, name, ...) fn(extra, name, SL__ARGV(3, SL__PAIRS_7(__VA_ARGS__)), 3)
#define SL__EXPR_9(fn, extra, name, ...) fn(extra, name, SL__ARGV(4, SL__PAIRS_8(__VA_ARGS__)), 4)
#define SL__EXPR_10(fn, extra, name, ...) fn(extra, name, SL__ARGV(4, SL__PAIRS_9(__VA_ARGS__)), 4)
#define SL__EXPR_11(fn, extra, name, ...) fn(extra, name, SL__ARGV(5, SL__PAIRS_10(__VA_ARGS__)), 5)
#define SL__EXPR_12(fn, extra, name, ...) fn(extra, name, SL__ARGV(5, SL__PAIRS_11(__VA_ARGS__)), 5)
#define SL__EXPR_13(fn, extra, name, ...) fn(extra, name, SL__ARGV(6, SL__PAIRS_12(__VA_ARGS__)), 6)
#define SL__EXPR_14(fn, extra, name, ...) fn(extra, name, SL__ARGV(6, SL__PAIRS_13(__VA_ARGS__)), 6)
#define SL__EXPR_15(fn, extra, name, ...) fn(extra, name, SL__ARGV(7, SL__PAIRS_14(__VA_ARGS__)), 7)
#define SL__EXPR_16(fn, extra, name, ...) fn(extra, name, SL__ARGV(7, SL__PAIRS_15(__VA_ARGS__)), 7)
#define SL__EXPR_17(fn, extra, name, ...) fn(extra, name, SL__ARGV(8, SL__PAIRS_16(__VA_ARGS__)), 8)
#define SL__EXPR_18(fn, extra, name, ...) fn(extra, name, SL__ARGV(8, SL__PAIRS_17(__VA_ARGS__)), 8)
#define SL__EXPR_19(fn, extra, name, ...) fn(extra, name, SL__ARGV(9, SL__PAIRS_18(__VA_ARGS__)), 9)
#define SL__EXPR_20(fn, extra, name, ...) fn(extra, name, SL__ARGV(9, SL__PAIRS_19(__VA_ARGS__)), 9)
#define SL__EXPR_21(fn, extra, name, ...) fn(extra, name, SL__ARGV(10, SL__PAIRS_20(__VA_ARGS__)), 10)
#define SL__EXPR_22(fn, extra, name, ...) fn(extra, name, SL__ARGV(10, SL__PAIRS_21(__VA_ARGS__)), 10)
#define SL__EXPR_23(fn, extra, name, ...) fn(extra, name, SL__ARGV(11, SL__PAIRS_22(__VA_ARGS__)), 11)
#define SL__EXPR_24(fn, extra, name, ...) fn(extra, name, SL__ARGV(11, SL__PAIRS_23(__VA_ARGS__)), 11)
#define SL__EXPR_25(fn, extra, name, ...) fn(extra, name, SL__ARGV(12, SL__PAIRS_24(__VA_ARGS__)), 12)
#define SL__EXPR_26(fn, extra, name, ...) fn(extra, name, SL__ARGV(12, SL__PAIRS_25(__VA_ARGS__)), 12)
#define SL__EXPR_27(fn, extra, name, ...) fn(extra, name, SL__ARGV(13, SL__PAIRS_26(__VA_ARGS__)), 13)
#define SL__EXPR_28(fn, extra, name, ...) fn(extra, name, SL__ARGV(13, SL__PAIRS_27(__VA_ARGS__)), 13)
#define SL__EXPR_29(fn, extra, name, ...) fn(extra, name, SL__ARGV(14, SL__PAIRS_28(__VA_ARGS__)), 14)
#define SL__EXPR_30(fn, extra, name, ...) fn(extra, name, SL__ARGV(14, SL__PAIRS_29(__VA_ARGS__)), 14)
#define SL__EXPR_31(fn, extra, name, ...) fn(extra, name, SL__ARGV(15, SL__PAIRS_30(__VA_ARGS__)), 15)
#define SL__EXPR_32(fn, extra, name, ...) fn(extra, name, SL__ARGV(15, SL__PAIRS_31(__VA_ARGS__)), 15)
#define SL__EXPR_33(fn, extra, name, ...) fn(extra, name, SL__ARGV(16, SL__PAIRS_32(__VA_ARGS__)), 16)
#define SL__EXPR_34(fn, extra, name, ...) fn(extra, name, SL__ARGV(16, SL__PAIRS_33(__VA_ARGS__)), 16)
#define SL__EXPR_35(fn, extra, name, ...) fn(extra, name, SL__ARGV(17, SL__PAIRS_34(__VA_ARGS__)), 17)
#define SL__EXPR_36(fn, extra, name, ...) fn(extra, name, SL__ARGV(17, SL__PAIRS_35(__VA_ARGS__)), 17)
#define SL__EXPR_37(fn, extra, name, ...) fn(extra, name, SL__ARGV(18, SL__PAIRS_36(__VA_ARGS__)), 18)
#define SL__EXPR_38(fn, extra, name, ...) fn(extra, name, SL__ARGV(18, SL__PAIRS_37(__VA_ARGS__)), 18)
#define SL__EXPR_39(fn, extra, name, ...) fn(extra, name, SL__ARGV(19, SL__PAIRS_38(__VA_ARGS__)), 19)
#define SL__EXPR_40(fn, extra, name, ...) fn(extra, name, SL__ARGV(19, SL__PAIRS_39(__VA_ARGS__)), 19)
#define SL__EXPR_41(fn, extra, name, ...) fn(extra, name, SL__ARGV(20, SL__PAIRS_40(__VA_ARGS__)), 20)
#define SL__EXPR_42(fn, extra, name, ...) fn(extra, name, SL__ARGV(20, SL__PAIRS_41(__VA_ARGS__)), 20)
#define SL__EXPR_43(fn, extra, name, ...) fn(extra, name, SL__ARGV(21, SL__PAIRS_42(__VA_ARGS__)), 21)
#define SL__EXPR_44(fn, extra, name, ...) fn(extra, name, SL__ARGV(21, SL__PAIRS_43(__VA_ARGS__)), 21)
#define SL__EXPR_45(fn, extra, name, ...) fn(extra, name, SL__ARGV(22, SL__PAIRS_44(__VA_ARGS__)), 22)
#define SL__EXPR_46(fn, extra, name, ...) fn(extra, name, SL__ARGV(22, SL__PAIRS_45(__VA_ARGS__)), 22)
#define SL__EXPR_47(fn, extra, name, ...) fn(extra, name, SL__ARGV(23, SL__PAIRS_46(__VA_ARGS__)), 23)
#define SL__EXPR_48(fn, extra, name, ...) fn(extra, name, SL__ARGV(23, SL__PAIRS_47(__VA_ARGS__)), 23)
#define SL__EXPR_49(fn, extra, name, ...) fn(extra, name, SL__ARGV(24, SL__PAIRS_48(__VA_ARGS__)), 24)
#define SL__EXPR_50(fn, extra, name, ...) fn(extra, name, SL__ARGV(24, SL__PAIRS_49(__VA_ARGS__)), 24)
#define SL__EXPR_51(fn, extra, name, ...) fn(extra, name, SL__ARGV(25, SL__PAIRS_50(__VA_ARGS__)), 25)
#define SL__EXPR_52(fn, extra, name, ...) fn(extra, name, SL__ARGV(25, SL__PAIRS_51(__VA_ARGS__)), 25)
#define SL__EXPR_53(fn, extra, name, ...) fn(extra, name, SL__ARGV(26, SL__PAIRS_52(__VA_ARGS__)), 26)
#define SL__EXPR_54(fn, extra, name, ...) fn(extra, name, SL__ARGV(26, SL__PAIRS_53(__VA_ARGS__)), 26)
#define SL__EXPR_55(fn, extra, name, ...) fn(extra, name, SL__ARGV(27, SL__PAIRS_54(__VA_ARGS__)), 27)
#define SL__EXPR_56(fn, extra, name, ...) fn(extra, name, SL__ARGV(27, SL__PAIRS_55(__VA_ARGS__)), 27)
#define SL__EXPR_57(fn, extra, name, ...) fn(extra, name, SL__ARGV(28, SL__PAIRS_56(__VA_ARGS__)), 28)
#define SL__EXPR_58(fn, extra, name, ...) fn(extra, name, SL__ARGV(28, SL__PAIRS_57(__VA_ARGS__)), 28)
#define SL__EXPR_59(fn, extra, name, ...) fn(extra, name, SL__ARGV(29, SL__PAIRS_58(__VA_ARGS__)), 29)
#define SL__EXPR_60(fn, extra, name, ...) fn(extra, name, SL__ARGV(29, SL__PAIRS_59(__VA_ARGS__)), 29)
#define SL__EXPR_61(fn, extra, name, ...) fn(extra, name, SL__ARGV(30, SL__PAIRS_60(__VA_ARGS__)), 30)
#define SL__EXPR_62(fn, extra, name, ...) fn(extra, name, SL__ARGV(30, SL__PAIRS_61(__VA_ARGS__)), 30)
#define SL__EXPR_63(fn, extra, name, ...) fn(extra, name, SL__ARGV(31, SL__PAIRS_62(__VA_ARGS__)), 31)
#define SL__EXPR_64(fn, extra, name, ...) fn(extra, name, SL__ARGV(31, SL__PAIRS_63(__VA_ARGS__)), 31)
#define SL__EXPR_65(fn, extra, name, ...) fn(extra, name, SL__ARGV(32, SL__PAIRS_64(__VA_ARGS__)), 32)
#define SL__EXPR_66(fn, extra, name, ...) fn(extra, name, SL__ARGV(32, SL__PAIRS_65(__VA_ARGS__)), 32)
#define SL__EXPR_67(fn, extra, name, ...) fn(extra, name, SL__ARGV(33, SL__PAIRS_66(__VA_ARGS__)), 33)
#define SL__EXPR_68(fn, extra, name, ...) fn(extra, name, SL__ARGV(33, SL__PAIRS_67(__VA_ARGS__)), 33)
#define SL__EXPR_69(fn, extra, name, ...) fn(extra, name, SL__ARGV(34, SL__PAIRS_68(__VA_ARGS__)), 34)
#define SL__EXPR_70(fn, extra, name, ...) fn(extra, name, SL__ARGV(34, SL__PAIRS_69(__VA_ARGS__)), 34)
#define SL__EXPR_71(fn, extra, name, ...) fn(extra, name, SL__ARGV(35, SL__PAIRS_70(__VA_ARGS__)), 35)
#define SL__EXPR_72(fn, extra, name, ...) fn(extra, name, SL__ARGV(35, SL__PAIRS_71(__VA_ARGS__)), 35)
#define SL__EXPR_73(fn, extra, name, ...) fn(extra, name, SL__ARGV(36, SL__PAIRS_72(__VA_ARGS__)), 36)
#define SL__EXPR_74(fn, extra, name, ...) fn(extra, name, SL__ARGV(36, SL__PAIRS_73(__VA_ARGS__)), 36)
#define SL__EXPR_75(fn, extra, name, ...) fn(extra, name, SL__ARGV(37, SL__PAIRS_74(__VA_ARGS__)), 37)
#define SL__EXPR_76(fn, extra, name, ...) fn(extra, name, SL__ARGV(37, SL__PAIRS_75(__VA_ARGS__)), 37)
#define SL__EXPR_77(fn, extra, name, ...) fn(extra, name, SL__ARGV(38, SL__PAIRS_76(__VA_ARGS__)), 38)
#define SL__EXPR_78(fn, extra, name, ...) fn(extra, name, SL__ARGV(38, SL__PAIRS_77(__VA_ARGS__)), 38)
#define SL__EXPR_79(fn, extra, name, ...) fn(extra, name, SL__ARGV(39, SL__PAIRS_78(__VA_ARGS__)), 39)
#define SL__EXPR_80(fn, extra, name, ...) fn(extra, name, SL__ARGV(39, SL__PAIRS_79(__VA_ARGS__)), 39)
#define SL__EXPR_81(fn, extra, name, ...) fn(extra, name, SL__ARGV(40, SL__PAIRS_80(__VA_ARGS__)), 40)
#define SL__EXPR_82(fn, extra, name, ...) fn(extra, name, SL__ARGV(40, SL__PAIRS_81(__VA_ARGS__)), 40)
#define SL__EXPR_83(fn, extra, name, ...) fn(extra, name, SL__ARGV(41, SL__PAIRS_82(__VA_ARGS__)), 41)
#define SL__EXPR_84(fn, extra, name, ...) fn(extra, name, SL__ARGV(41, SL__PAIRS_83(__VA_ARGS__)), 41)
#define SL__EXPR_85(fn, extra, name, ...) fn(extra, name, SL__ARGV(42, SL__PAIRS_84(__VA_ARGS__)), 42)
#define SL__EXPR_86(fn, extra, name, ...) fn(extra, name, SL__ARGV(42, SL__PAIRS_85(__VA_ARGS__)), 42)
#define SL__EXPR_87(fn, extra, name, ...) fn(extra, name, SL__ARGV(43, SL__PAIRS_86(__VA_ARGS__)), 43)
#define SL__EXPR_88(fn, extra, name, ...) fn(extra, name, SL__ARGV(43, SL__PAIRS_87(__VA_ARGS__)), 43)
#define SL__EXPR_89(fn, extra, name, ...) fn(extra, name, SL__ARGV(44, SL__PAIRS_88(__VA_ARGS__)), 44)
#define SL__EXPR_90(fn, extra, name, ...) fn(extra, name, SL__ARGV(44, SL__PAIRS_89(__VA_ARGS__)), 44)
#define SL__EXPR_91(fn, extra, name, ...) fn(extra, name, SL__ARGV(45, SL__PAIRS_90(__VA_ARGS__)), 45)
#define SL__EXPR_92(fn, extra, name, ...) fn(extra, name, SL__ARGV(45, SL__PAIRS_91(__VA_ARGS__)), 45)
#define SL__EXPR_93(fn, extra, name, ...) fn(extra, name, SL__ARGV(46, SL__PAIRS_92(__VA_ARGS__)), 46)
#define SL__EXPR_94(fn, extra, name, ...) fn(extra, name, SL__ARGV(46, SL__PAIRS_93(__VA_ARGS__)), 46)
#define SL__EXPR_95(fn, extra, name, ...) fn(extra, name, SL__ARGV(47, SL__PAIRS_94(__VA_ARGS__)), 47)
#define SL__EXPR_96(fn, extra, name, ...) fn(extra, name, SL__ARGV(47, SL__PAIRS_95(__VA_ARGS__)), 47)
#define SL__EXPR_97(fn, extra, name, ...) fn(extra, name, SL__ARGV(48, SL__PAIRS_96(__VA_ARGS__)), 48)

/* SL__KEYS_n(k1, ...): n keys as an initialiser list of checked strings. */
#define SL__KEYS_1(k) SL__KEY(k)
#define SL__KEYS_2(k, ...) SL__KEY(k), SL__KEYS_1(__VA_ARGS__)
#define SL__KEYS_3(k, ...) SL__KEY(k), SL__KEYS_2(__VA_ARGS__)
#define SL__KEYS_4(k, ...) SL__KEY(k), SL__KEYS_3(__VA_ARGS__)
#define SL__KEYS_5(k, ...) SL__KEY(k), SL__KEYS_4(__VA_ARGS__)
#define SL__KEYS_6(k, ...) SL__KEY(k), SL__KEYS_5(__VA_ARGS__)
#define SL__KEYS_7(k, ...) SL__KEY(k), SL__KEYS_6(__VA_ARGS__)
#define SL__KEYS_8(k, ...) SL__KEY(k), SL__KEYS_7(__VA_ARGS__)
#define SL__KEYS_9(k, ...) SL__KEY(k), SL__KEYS_8(__VA_ARGS__)
#define SL__KEYS_10(k, ...) SL__KEY(k), SL__KEYS_9(__VA_ARGS__)
#define SL__KEYS_11(k, ...) SL__KEY(k), SL__KEYS_10(__VA_ARGS__)
#define SL__KEYS_12(k, ...) SL__KEY(k), SL__KEYS_11(__VA_ARGS__)
#define SL__KEYS_13(k, ...) SL__KEY(k), SL__KEYS_12(__VA_ARGS__)
#define SL__KEYS_14(k, ...) SL__KEY(k), SL__KEYS_13(__VA_ARGS__)
#define SL__KEYS_15(k, ...) SL__KEY(k), SL__KEYS_14(__VA_ARGS__)
#define SL__KEYS_16(k, ...) SL__KEY(k), SL__KEYS_15(__VA_ARGS__)
#define SL__KEYS_17(k, ...) SL__KEY(k), SL__KEYS_16(__VA_ARGS__)
#define SL__KEYS_18(k, ...) SL__KEY(k), SL__KEYS_17(__VA_ARGS__)
#define SL__KEYS_19(k, ...) SL__KEY(k), SL__KEYS_18(__VA_ARGS__)
#define SL__KEYS_20(k, ...) SL__KEY(k), SL__KEYS_19(__VA_ARGS__)
#define SL__KEYS_21(k, ...) SL__KEY(k), SL__KEYS_20(__VA_ARGS__)
#define SL__KEYS_22(k, ...) SL__KEY(k), SL__KEYS_21(__VA_ARGS__)
#define SL__KEYS_23(k, ...) SL__KEY(k), SL__KEYS_22(__VA_ARGS__)
#define SL__KEYS_24(k, ...) SL__KEY(k), SL__KEYS_23(__VA_ARGS__)
#define SL__KEYS_25(k, ...) SL__KEY(k), SL__KEYS_24(__VA_ARGS__)
#define SL__KEYS_26(k, ...) SL__KEY(k), SL__KEYS_25(__VA_ARGS__)
#define SL__KEYS_27(k, ...) SL__KEY(k), SL__KEYS_26(__VA_ARGS__)
#define SL__KEYS_28(k, ...) SL__KEY(k), SL__KEYS_27(__VA_ARGS__)
#define SL__KEYS_29(k, ...) SL__KEY(k), SL__KEYS_28(__VA_ARGS__)
#define SL__KEYS_30(k, ...) SL__KEY(k), SL__KEYS_29(__VA_ARGS__)
#define SL__KEYS_31(k, ...) SL__KEY(k), SL__KEYS_30(__VA_ARGS__)
#define SL__KEYS_32(k, ...) SL__KEY(k), SL__KEYS_31(__VA_ARGS__)
#define SL__KEYS_33(k, ...) SL__KEY(k), SL__KEYS_32(__VA_ARGS__)
#define SL__KEYS_34(k, ...) SL__KEY(k), SL__KEYS_33(__VA_ARGS__)
#define SL__KEYS_35(k, ...) SL__KEY(k), SL__KEYS_34(__VA_ARGS__)
#define SL__KEYS_36(k, ...) SL__KEY(k), SL__KEYS_35(__VA_ARGS__)
#define SL__KEYS_37(k, ...) SL__KEY(k), SL__KEYS_36(__VA_ARGS__)
#define SL__KEYS_38(k, ...) SL__KEY(k), SL__KEYS_37(__VA_ARGS__)
#define SL__KEYS_39(k, ...) SL__KEY(k), SL__KEYS_38(__VA_ARGS__)
#define SL__KEYS_40(k, ...) SL__KEY(k), SL__KEYS_39(__VA_ARGS__)
#define SL__KEYS_41(k, ...) SL__KEY(k), SL__KEYS_40(__VA_ARGS__)
#define SL__KEYS_42(k, ...) SL__KEY(k), SL__KEYS_41(__VA_ARGS__)
#define SL__KEYS_43(k, ...) SL__KEY(k), SL__KEYS_42(__VA_ARGS__)
#define SL__KEYS_44(k, ...) SL__KEY(k), SL__KEYS_43(__VA_ARGS__)
#define SL__KEYS_45(k, ...) SL__KEY(k), SL__KEYS_44(__VA_ARGS__)
#define SL__KEYS_46(k, ...) SL__KEY(k), SL__KEYS_45(__VA_ARGS__)
#define SL__KEYS_47(k, ...) SL__KEY(k), SL__KEYS_46(__VA_ARGS__)
#define SL__KEYS_48(k, ...) SL__KEY(k), SL__KEYS_47(__VA_ARGS__)
#define SL__KEYS_49(k, ...) SL__KEY(k), SL__KEYS_48(__VA_ARGS__)
#define SL__KEYS_50(k, ...) SL__KEY(k), SL__KEYS_49(__VA_ARGS__)
#define SL__KEYS_51(k, ...) SL__KEY(k), SL__KEYS_50(__VA_ARGS__)
#define SL__KEYS_52(k, ...) SL__KEY(k), SL__KEYS_51(__VA_ARGS__)
#define SL__KEYS_53(k, ...) SL__KEY(k), SL__KEYS_52(__VA_ARGS__)
#define SL__KEYS_54(k, ...) SL__KEY(k), SL__KEYS_53(__VA_ARGS__)
#define SL__KEYS_55(k, ...) SL__KEY(k), SL__KEYS_54(__VA_ARGS__)
#define SL__KEYS_56(k, ...) SL__KEY(k), SL__KEYS_55(__VA_ARGS__)
#define SL__KEYS_57(k, ...) SL__KEY(k), SL__KEYS_56(__VA_ARGS__)
#define SL__KEYS_58(k, ...) SL__KEY(k), SL__KEYS_57(__VA_ARGS__)
#define SL__KEYS_59(k, ...) SL__KEY(k), SL__KEYS_58(__VA_ARGS__)
#define SL__KEYS_60(k, ...) SL__KEY(k), SL__KEYS_59(__VA_ARGS__)
#define SL__KEYS_61(k, ...) SL__KEY(k), SL__KEYS_60(__VA_ARGS__)
#define SL__KEYS_62(k, ...) SL__KEY(k), SL__KEYS_61(__VA_ARGS__)
#define SL__KEYS_63(k, ...) SL__KEY(k), SL__KEYS_62(__VA_ARGS__)
#define SL__KEYS_64(k, ...) SL__KEY(k), SL__KEYS_63(__VA_ARGS__)
#define SL__KEYS_65(k, ...) SL__KEY(k), SL__KEYS_64(__VA_ARGS__)
#define SL__KEYS_66(k, ...) SL__KEY(k), SL__KEYS_65(__VA_ARGS__)
#define SL__KEYS_67(k, ...) SL__KEY(k), SL__KEYS_66(__VA_ARGS__)
#define SL__KEYS_68(k, ...) SL__KEY(k), SL__KEYS_67(__VA_ARGS__)
#define SL__KEYS_69(k, ...) SL__KEY(k), SL__KEYS_68(__VA_ARGS__)
#define SL__KEYS_70(k, ...) SL__KEY(k), SL__KEYS_69(__VA_ARGS__)
#define SL__KEYS_71(k, ...) SL__KEY(k), SL__KEYS_70(__VA_ARGS__)
#define SL__KEYS_72(k, ...) SL__KEY(k), SL__KEYS_71(__VA_ARGS__)
#define SL__KEYS_73(k, ...) SL__KEY(k), SL__KEYS_72(__VA_ARGS__)
#define SL__KEYS_74(k, ...) SL__KEY(k), SL__KEYS_73(__VA_ARGS__)
#define SL__KEYS_75(k, ...) SL__KEY(k), SL__KEYS_74(__VA_ARGS__)
#define SL__KEYS_76(k, ...) SL__KEY(k), SL__KEYS_75(__VA_ARGS__)
#define SL__KEYS_77(k, ...) SL__KEY(k), SL__KEYS_76(__VA_ARGS__)
#define SL__KEYS_78(k, ...) SL__KEY(k), SL__KEYS_77(__VA_ARGS__)
#define SL__KEYS_79(k, ...) SL__KEY(k), SL__KEYS_78(__VA_ARGS__)
#define SL__KEYS_80(k, ...) SL__KEY(k), SL__KEYS_79(__VA_ARGS__)
#define SL__KEYS_81(k, ...) SL__KEY(k), SL__KEYS_80(__VA_ARGS__)
#define SL__KEYS_82(k, ...) SL__KEY(k), SL__KEYS_81(__VA_ARGS__)
#define SL__KEYS_83(k, ...) SL__KEY(k), SL__KEYS_82(__VA_ARGS__)
#define SL__KEYS_84(k, ...) SL__KEY(k), SL__KEYS_83(__VA_ARGS__)
#define SL__KEYS_85(k, ...) SL__KEY(k), SL__KEYS_84(__VA_ARGS__)
#define SL__KEYS_86(k, ...) SL__KEY(k), SL__KEYS_85(__VA_ARGS__)
#define SL__KEYS_87(k, ...) SL__KEY(k), SL__KEYS_86(__VA_ARGS__)
#define SL__KEYS_88(k, ...) SL__KEY(k), SL__KEYS_87(__VA_ARGS__)
#define SL__KEYS_89(k, ...) SL__KEY(k), SL__KEYS_88(__VA_ARGS__)
#define SL__KEYS_90(k, ...) SL__KEY(k), SL__KEYS_89(__VA_ARGS__)
#define SL__KEYS_91(k, ...) SL__KEY(k), SL__KEYS_90(__VA_ARGS__)
#define SL__KEYS_92(k, ...) SL__KEY(k), SL__KEYS_91(__VA_ARGS__)
#define SL__KEYS_93(k, ...) SL__KEY(k), SL__KEYS_92(__VA_ARGS__)
#define SL__KEYS_94(k, ...) SL__KEY(k), SL__KEYS_93(__VA_ARGS__)
#define SL__KEYS_95(k, ...) SL__KEY(k), SL__KEYS_94(__VA_ARGS__)
#define SL__KEYS_96(k, ...) SL__KEY(k), SL__KEYS_95(__VA_ARGS__)
#define SL__KEYS_97(k, ...) SL__KEY(k), SL__KEYS_96(__VA_ARGS__)

#endif
