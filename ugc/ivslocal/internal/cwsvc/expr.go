package cwsvc

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Metric math: the subset of CloudWatch expressions the emulator evaluates.
//
//	expr    := term {('+'|'-') term}
//	term    := unary {('*'|'/') unary}
//	unary   := '-' unary | primary
//	primary := number | id | FUNC '(' expr {',' expr} ')' | '(' expr ')'
//
// Functions: FILL(s, REPEAT|LINEAR|<scalar>), TIME_SERIES(x), AVG, SUM, MIN,
// MAX (a series to a scalar), ABS. Anything else is a ValidationError.

type node interface{}

type numNode struct{ v float64 }
type refNode struct{ id string }
type kwNode struct{ kw string } // REPEAT or LINEAR, only as FILL's second argument
type callNode struct {
	fn   string
	args []node
}
type binNode struct {
	op   byte
	l, r node
}
type negNode struct{ x node }

var supportedFuncs = map[string]int{"FILL": 2, "TIME_SERIES": 1, "AVG": 1, "SUM": 1, "MIN": 1, "MAX": 1, "ABS": 1}

type parser struct {
	src string
	pos int
}

func parseExpr(src string) (node, error) {
	p := &parser{src: src}
	n, err := p.expr()
	if err != nil {
		return nil, err
	}
	p.skip()
	if p.pos < len(p.src) {
		return nil, fmt.Errorf("unexpected %q at position %d", p.src[p.pos:], p.pos)
	}
	return n, nil
}

func (p *parser) skip() {
	for p.pos < len(p.src) && (p.src[p.pos] == ' ' || p.src[p.pos] == '\t' || p.src[p.pos] == '\n') {
		p.pos++
	}
}

func (p *parser) peek() byte {
	p.skip()
	if p.pos >= len(p.src) {
		return 0
	}
	return p.src[p.pos]
}

func (p *parser) expr() (node, error) {
	l, err := p.term()
	if err != nil {
		return nil, err
	}
	for c := p.peek(); c == '+' || c == '-'; c = p.peek() {
		p.pos++
		r, err := p.term()
		if err != nil {
			return nil, err
		}
		l = binNode{op: c, l: l, r: r}
	}
	return l, nil
}

func (p *parser) term() (node, error) {
	l, err := p.unary()
	if err != nil {
		return nil, err
	}
	for c := p.peek(); c == '*' || c == '/'; c = p.peek() {
		p.pos++
		r, err := p.unary()
		if err != nil {
			return nil, err
		}
		l = binNode{op: c, l: l, r: r}
	}
	return l, nil
}

func (p *parser) unary() (node, error) {
	if p.peek() == '-' {
		p.pos++
		x, err := p.unary()
		if err != nil {
			return nil, err
		}
		return negNode{x}, nil
	}
	return p.primary()
}

func isIdentStart(c byte) bool { return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isIdentChar(c byte) bool  { return isIdentStart(c) || c >= '0' && c <= '9' }
func isDigit(c byte) bool      { return c >= '0' && c <= '9' || c == '.' }

func (p *parser) primary() (node, error) {
	c := p.peek()
	switch {
	case c == 0:
		return nil, fmt.Errorf("unexpected end of expression")
	case c == '(':
		p.pos++
		n, err := p.expr()
		if err != nil {
			return nil, err
		}
		if p.peek() != ')' {
			return nil, fmt.Errorf("missing ')' at position %d", p.pos)
		}
		p.pos++
		return n, nil
	case isDigit(c):
		start := p.pos
		for p.pos < len(p.src) && (isDigit(p.src[p.pos]) || p.src[p.pos] == 'e' || p.src[p.pos] == 'E' ||
			(p.src[p.pos] == '-' || p.src[p.pos] == '+') && (p.src[p.pos-1] == 'e' || p.src[p.pos-1] == 'E')) {
			p.pos++
		}
		v, err := strconv.ParseFloat(p.src[start:p.pos], 64)
		if err != nil {
			return nil, fmt.Errorf("bad number %q", p.src[start:p.pos])
		}
		return numNode{v}, nil
	case isIdentStart(c):
		start := p.pos
		for p.pos < len(p.src) && isIdentChar(p.src[p.pos]) {
			p.pos++
		}
		name := p.src[start:p.pos]
		if p.peek() != '(' {
			if name == "REPEAT" || name == "LINEAR" {
				return kwNode{name}, nil
			}
			return refNode{name}, nil
		}
		p.pos++
		fn := strings.ToUpper(name)
		nargs, ok := supportedFuncs[fn]
		if !ok {
			return nil, fmt.Errorf("function %s is not supported by the emulator", name)
		}
		var args []node
		if p.peek() != ')' {
			for {
				a, err := p.expr()
				if err != nil {
					return nil, err
				}
				args = append(args, a)
				if p.peek() != ',' {
					break
				}
				p.pos++
			}
		}
		if p.peek() != ')' {
			return nil, fmt.Errorf("missing ')' after the arguments of %s", fn)
		}
		p.pos++
		if len(args) != nargs {
			return nil, fmt.Errorf("%s takes %d argument(s), got %d", fn, nargs, len(args))
		}
		return callNode{fn: fn, args: args}, nil
	}
	return nil, fmt.Errorf("unexpected %q at position %d", c, p.pos)
}

// refs lists the query IDs an expression refers to.
func refs(n node, out []string) []string {
	switch n := n.(type) {
	case refNode:
		out = append(out, n.id)
	case callNode:
		for _, a := range n.args {
			out = refs(a, out)
		}
	case binNode:
		out = refs(n.r, refs(n.l, out))
	case negNode:
		out = refs(n.x, out)
	}
	return out
}

// val is the value of an expression: a scalar or a time series (ascending
// Unix-ms timestamps). period is the series' period in seconds, carried by
// scalars derived from a series so TIME_SERIES can rebuild a grid.
type val struct {
	scalar bool
	num    float64
	period int64
	ts     []int64
	vs     []float64
}

// evaluator evaluates expressions against the results of a GetMetricData
// request.
type evaluator struct {
	lookup        func(id string) (*val, error)
	grid          func(period int64) ([]int64, error) // the timestamps of the window at a period
	defaultPeriod int64
}

func (e *evaluator) eval(n node) (*val, error) {
	switch n := n.(type) {
	case numNode:
		return &val{scalar: true, num: n.v}, nil
	case refNode:
		return e.lookup(n.id)
	case kwNode:
		return nil, fmt.Errorf("%s is only allowed as the second argument of FILL", n.kw)
	case negNode:
		x, err := e.eval(n.x)
		if err != nil {
			return nil, err
		}
		return mapVal(x, func(v float64) float64 { return -v }), nil
	case binNode:
		l, err := e.eval(n.l)
		if err != nil {
			return nil, err
		}
		r, err := e.eval(n.r)
		if err != nil {
			return nil, err
		}
		return binary(n.op, l, r), nil
	case callNode:
		return e.call(n)
	}
	return nil, fmt.Errorf("unknown expression node %T", n)
}

func (e *evaluator) call(n callNode) (*val, error) {
	if n.fn == "FILL" {
		return e.fill(n)
	}
	x, err := e.eval(n.args[0])
	if err != nil {
		return nil, err
	}
	switch n.fn {
	case "ABS":
		return mapVal(x, math.Abs), nil
	case "TIME_SERIES":
		if !x.scalar {
			return x, nil
		}
		p := x.period
		if p == 0 {
			p = e.defaultPeriod
		}
		g, err := e.grid(p)
		if err != nil {
			return nil, err
		}
		out := &val{period: p, ts: g, vs: make([]float64, len(g))}
		for i := range g {
			out.vs[i] = x.num
		}
		return out, nil
	}
	// AVG, SUM, MIN, MAX of a series is a scalar; of a scalar, the scalar.
	if x.scalar {
		return x, nil
	}
	r := &val{scalar: true, period: x.period, num: math.NaN()}
	if len(x.vs) == 0 {
		return r, nil
	}
	switch n.fn {
	case "SUM", "AVG":
		s := 0.0
		for _, v := range x.vs {
			s += v
		}
		r.num = s
		if n.fn == "AVG" {
			r.num = s / float64(len(x.vs))
		}
	case "MIN":
		r.num = x.vs[0]
		for _, v := range x.vs {
			r.num = math.Min(r.num, v)
		}
	case "MAX":
		r.num = x.vs[0]
		for _, v := range x.vs {
			r.num = math.Max(r.num, v)
		}
	}
	return r, nil
}

// fill implements FILL(series, REPEAT|LINEAR|scalar) over the window's grid.
func (e *evaluator) fill(n callNode) (*val, error) {
	x, err := e.eval(n.args[0])
	if err != nil {
		return nil, err
	}
	if x.scalar {
		return nil, fmt.Errorf("the first argument of FILL must be a time series")
	}
	mode := ""
	var num float64
	if kw, ok := n.args[1].(kwNode); ok {
		mode = kw.kw
	} else {
		f, err := e.eval(n.args[1])
		if err != nil {
			return nil, err
		}
		if !f.scalar {
			return nil, fmt.Errorf("the second argument of FILL must be REPEAT, LINEAR or a number")
		}
		num = f.num
	}
	p := x.period
	if p == 0 {
		p = e.defaultPeriod
	}
	g, err := e.grid(p)
	if err != nil {
		return nil, err
	}
	out := &val{period: p, ts: g, vs: make([]float64, 0, len(g))}
	if mode != "" && len(x.vs) == 0 {
		return &val{period: p}, nil
	}
	j := 0 // index into x of the first point at or after the grid time
	for _, t := range g {
		for j < len(x.ts) && x.ts[j] < t {
			j++
		}
		if j < len(x.ts) && x.ts[j] == t {
			out.vs = append(out.vs, x.vs[j])
			continue
		}
		switch mode {
		case "":
			out.vs = append(out.vs, num)
		case "REPEAT":
			if j > 0 {
				out.vs = append(out.vs, x.vs[j-1])
			} else {
				out.vs = append(out.vs, x.vs[0])
			}
		case "LINEAR":
			switch {
			case j == 0:
				out.vs = append(out.vs, x.vs[0])
			case j >= len(x.ts):
				out.vs = append(out.vs, x.vs[len(x.vs)-1])
			default:
				t0, t1 := x.ts[j-1], x.ts[j]
				v0, v1 := x.vs[j-1], x.vs[j]
				out.vs = append(out.vs, v0+(v1-v0)*float64(t-t0)/float64(t1-t0))
			}
		}
	}
	return out, nil
}

func mapVal(x *val, f func(float64) float64) *val {
	if x.scalar {
		return &val{scalar: true, num: f(x.num), period: x.period}
	}
	out := &val{period: x.period, ts: x.ts, vs: make([]float64, len(x.vs))}
	for i, v := range x.vs {
		out.vs[i] = f(v)
	}
	return out
}

func apply(op byte, a, b float64) float64 {
	switch op {
	case '+':
		return a + b
	case '-':
		return a - b
	case '*':
		return a * b
	}
	return a / b
}

// binary applies an arithmetic operator; two series combine at the
// timestamps both have.
func binary(op byte, l, r *val) *val {
	switch {
	case l.scalar && r.scalar:
		return &val{scalar: true, num: apply(op, l.num, r.num), period: max(l.period, r.period)}
	case r.scalar:
		return mapVal(l, func(v float64) float64 { return apply(op, v, r.num) })
	case l.scalar:
		return mapVal(r, func(v float64) float64 { return apply(op, l.num, v) })
	}
	out := &val{period: max(l.period, r.period)}
	i, j := 0, 0
	for i < len(l.ts) && j < len(r.ts) {
		switch {
		case l.ts[i] < r.ts[j]:
			i++
		case l.ts[i] > r.ts[j]:
			j++
		default:
			out.ts = append(out.ts, l.ts[i])
			out.vs = append(out.vs, apply(op, l.vs[i], r.vs[j]))
			i++
			j++
		}
	}
	return out
}
