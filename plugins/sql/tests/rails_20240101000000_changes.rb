class Changes < ActiveRecord::Migration[7.1]
  def change
    create_table :tags do |t|
      t.string :label, null: false
    end
    add_column :tags, :slug, :string, null: false
    add_column :users, :nickname, :string
    add_column :users, :plan, :string, null: false
    add_column :users, :admin, :boolean, null: false, default: false
    add_column :users, :prefs, :json
    add_index :users, :email
    add_index :users, :handle, unique: true, algorithm: :concurrently
    remove_column :users, :legacy, :string
    change_column :users, :age, :bigint
    change_column_null :users, :name, false
    rename_column :users, :fullname, :full_name
    add_reference :orders, :user, foreign_key: true
    add_foreign_key :orders, :shops, validate: false
    drop_table :sessions
  end

  def down
    drop_table :tags
  end
end
