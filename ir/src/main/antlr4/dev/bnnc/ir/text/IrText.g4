/*
 * The IR's text form: one graph, its nodes in topological order, one per line by convention.
 *
 *   graph main(%x: f32[1,3,8,8]) -> (%y) {
 *     %w = Constant {value = dense<f32[2,3,1,1]> [0.5, -1.0, 2.0, 0.0, 1.0, 3.0]} : f32[2,3,1,1]
 *     %c = Conv @conv1 {strides = [1,1], pads = [0,0,0,0], dilations = [1,1], group = 1} (%x, %w) : f32[1,2,8,8]
 *     %y = Unary {fn = RELU} (%c) : f32[1,2,8,8]
 *   }
 *
 * %name is a value, @name a node (omitted when the node is named after its first result).
 * Names that are not made of letters, digits, '_' and '.' are quoted: %"conv/BiasAdd:0".
 * Attributes are checked against the op's record, operand types against the op's type inference.
 */
grammar IrText;

graph
    : 'graph' graphName '(' (param (',' param)*)? ')' '->' '(' VALUE (',' VALUE)* ')' '{' node* '}' EOF
    ;

graphName
    : IDENT
    | STRING
    ;

param
    : VALUE ':' type
    ;

node
    : VALUE (',' VALUE)* '=' IDENT NODE? attributes? operands? ':' type (',' type)*
    ;

attributes
    : '{' (attribute (',' attribute)*)? '}'
    ;

attribute
    : IDENT '=' attributeValue
    ;

attributeValue
    : number                          # numberValue
    | ('true' | 'false')              # boolValue
    | IDENT                           # symbolValue
    | '[' (INT (',' INT)*)? ']'       # intListValue
    | 'dense' '<' type '>' tensorData # tensorValue
    ;

tensorData
    : '[' (number (',' number)*)? ']' # tensorElements
    | ELIDED                          # elidedElements
    ;

operands
    : '(' (VALUE (',' VALUE)*)? ')'
    ;

type
    : IDENT '[' (INT (',' INT)*)? ']'
    ;

number
    : INT
    | FLOAT
    | SPECIAL_FLOAT
    ;

VALUE : '%' (BARE_NAME | QUOTED) ;
NODE : '@' (BARE_NAME | QUOTED) ;
STRING : QUOTED ;
// Float.toString's spellings of the non-finite values.
SPECIAL_FLOAT : 'NaN' | '-'? 'Infinity' ;
FLOAT : '-'? DIGITS ('.' DIGITS)? [eE] [+-]? DIGITS | '-'? DIGITS '.' DIGITS ;
INT : '-'? DIGITS ;
ELIDED : '<elided ' DIGITS ' values>' ;
IDENT : [A-Za-z_] [A-Za-z0-9_]* ;
LINE_COMMENT : '//' ~[\r\n]* -> skip ;
WS : [ \t\r\n]+ -> skip ;

fragment BARE_NAME : [A-Za-z0-9_.]+ ;
fragment QUOTED : '"' (~["\\\r\n] | '\\' ["\\nrt])* '"' ;
fragment DIGITS : [0-9]+ ;
