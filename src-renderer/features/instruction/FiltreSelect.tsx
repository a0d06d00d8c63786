// A DSFR select of a list's filter, with « Tous » ('') first: the « Fiches à instruire » list and the
// regional dashboard's table.
export function FiltreSelect(props: {
  id: string;
  label: string;
  value: string;
  onChange: (v: string) => void;
  options: readonly { value: string; label: string }[];
  tous: string;
}) {
  return (
    <div className="fr-select-group">
      <label className="fr-label" htmlFor={props.id}>
        {props.label}
      </label>
      <select className="fr-select" id={props.id} value={props.value} onChange={(e) => props.onChange(e.target.value)}>
        <option value="">{props.tous}</option>
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}
